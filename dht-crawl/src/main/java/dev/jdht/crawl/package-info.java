/**
 * The BEP 51 crawler: traversal planning against a {@code Clock}, an outgoing packet budget, and
 * the {@link dev.jdht.crawl.CrawlListener} stream; {@code dev.jdht.crawl.store} writes that stream
 * to SQLite or PostgreSQL. Uses the node only through {@code dev.jdht.core.api}.
 */
package dev.jdht.crawl;
