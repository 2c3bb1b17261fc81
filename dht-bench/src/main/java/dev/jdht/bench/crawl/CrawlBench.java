package dev.jdht.bench.crawl;

import dev.jdht.core.api.HopReply;
import dev.jdht.core.node.InfohashQuery;
import dev.jdht.core.node.SingleHopMethod;
import dev.jdht.core.sim.InfohashSeeder;
import dev.jdht.core.sim.SimConfig;
import dev.jdht.core.sim.SimNode;
import dev.jdht.core.sim.SimulatedNetwork;
import dev.jdht.crawl.CrawlConfig;
import dev.jdht.crawl.CrawlListener;
import dev.jdht.crawl.CrawlNode;
import dev.jdht.crawl.CrawlStats;
import dev.jdht.crawl.ForwardingCrawlNode;
import dev.jdht.crawl.Crawler;
import dev.jdht.crawl.InfohashSeen;
import dev.jdht.crawl.SimCrawlNode;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import javax.imageio.ImageIO;

/**
 * The crawl benchmark on the simulated network: N real DhtNodes (preseeded routing tables, 5%
 * dead), infohashes stored the way announces would (each on the 8 nodes closest to it, ~60 per
 * node), answering BEP 51 from their peer stores (20 samples, interval 6 h). One crawler at
 * RATE pkt/s of virtual time. Prints the curve of distinct infohashes and nodes sampled against
 * virtual time and packets sent, the packets needed for 90%, and the crawler's CPU throughput
 * (time inside crawler code only: the simulator's delivery and the nodes' work are excluded).
 *
 * <p>Usage: {@code CrawlBench [nodes=100000] [rate=2000] [png=docs/bench-crawl.png]}
 */
public final class CrawlBench {
  private static final long S = 1_000_000_000L;

  /** Times the crawler's own code: scheduled tasks and reply callbacks, minus the sends inside. */
  static final class Timed extends ForwardingCrawlNode {
    long crawlerNanos;
    long sendNanos;
    long sent;

    Timed(CrawlNode inner) {
      super(inner);
    }

    private Runnable timed(Runnable r) {
      return () -> {
        long t0 = System.nanoTime();
        r.run();
        crawlerNanos += System.nanoTime() - t0;
      };
    }

    @Override
    public void schedule(long delayNanos, Runnable task) {
      inner.schedule(delayNanos, timed(task));
    }

    @Override
    public void query(SingleHopMethod m, PeerAddress to, NodeId target, Consumer<HopReply> reply) {
      long t0 = System.nanoTime();
      sent++;
      inner.query(m, to, target, r -> timed(() -> reply.accept(r)).run());
      sendNanos += System.nanoTime() - t0;
    }

    @Override
    public void onInfohashQuery(Consumer<InfohashQuery> listener) {
      inner.onInfohashQuery(listener == null ? null : q -> timed(() -> listener.accept(q)).run());
    }
  }

  record Point(long seconds, long packets, long sampled, long distinct) {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
    String png = args.length > 2 ? args[2] : "docs/bench-crawl.png";
    long t0 = System.nanoTime();
    SimulatedNetwork net = new SimulatedNetwork(SimConfig.builder(2026).deadFraction(0.05).build());
    List<SimNode> nodes = net.buildPreseeded(n);
    int perNode = 60;
    int replicas = 8;
    Set<NodeId> truth = InfohashSeeder.seed(net, n * perNode / replicas, replicas, new Random(7));
    int min = Integer.MAX_VALUE;
    int max = 0;
    long sum = 0;
    int online = 0;
    for (SimNode s : nodes) {
      if (s.isOnline()) {
        int c = s.node().peerStore().infoHashCount();
        min = Math.min(min, c);
        max = Math.max(max, c);
        sum += c;
        online++;
      }
    }
    Runtime rt = Runtime.getRuntime();
    System.out.printf(Locale.ROOT, "network: %d nodes (%d online), %d distinct infohashes, per online node min %d mean %.1f max %d; built in %.1f s, heap %d MiB%n",
        n, online, truth.size(), min, (double) sum / online, max, (System.nanoTime() - t0) / 1e9, (rt.totalMemory() - rt.freeMemory()) >> 20);

    SimNode crawlerNode = net.addNode();
    net.start(crawlerNode, List.of(), List.of());
    Timed timed = new Timed(new SimCrawlNode(net, crawlerNode));
    Set<NodeId> found = new HashSet<>();
    CrawlListener l =
        new CrawlListener() {
          @Override
          public void onInfohash(InfohashSeen s) {
            found.add(s.infohash());
          }
        };
    Random r = new Random(3);
    List<dev.jdht.krpc.wire.NodeInfo> seeds = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      seeds.add(net.randomOnline().info());
    }
    long start = net.now();
    long wall0 = System.nanoTime();
    Crawler c = Crawler.start(timed, CrawlConfig.builder().rate(rate).build(), l, seeds, 0, r);
    List<Point> curve = new ArrayList<>();
    long at90 = -1;
    long packets90 = -1;
    for (long sec = 1; sec <= 900; sec++) {
      net.runUntil(start + sec * S);
      CrawlStats st = c.stats();
      curve.add(new Point(sec, timed.sent, st.sampledNodes(), found.size()));
      if (at90 < 0 && found.size() >= 0.9 * truth.size()) {
        at90 = sec;
        packets90 = timed.sent;
      }
      if (found.size() >= 0.95 * truth.size() || (at90 > 0 && sec >= at90 * 1.5)) {
        break;
      }
    }
    c.stop();
    net.runFor(S);
    long wall = System.nanoTime() - wall0;
    CrawlStats st = c.stopped().getNow(c.stats());
    double crawlerSeconds = (timed.crawlerNanos - timed.sendNanos) / 1e9;

    System.out.println();
    System.out.println("| virtual s | packets sent | packets / node | nodes sampled | distinct infohashes | found |");
    System.out.println("|---:|---:|---:|---:|---:|---:|");
    for (Point p : curve) {
      if (p.seconds() % 10 == 0 || p.seconds() == at90 || p == curve.get(curve.size() - 1) || p.seconds() <= 5) {
        System.out.printf(Locale.ROOT, "| %d | %d | %.2f | %d | %d | %.1f%% |%n", p.seconds(), p.packets(),
            (double) p.packets() / n, p.sampled(), p.distinct(), 100.0 * p.distinct() / truth.size());
      }
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "90%% of infohashes after %d virtual s and %d packets = %.2f packets per node of the network%n",
        at90, packets90, (double) packets90 / n);
    System.out.printf(Locale.ROOT, "final: %s%n", st);
    System.out.printf(Locale.ROOT, "size estimate %d for %d nodes (%d online)%n", st.estimatedDhtSize(), n, online);
    System.out.printf(Locale.ROOT, "crawler CPU: %.3f s for %d packets sent and their replies = %.0f packets/s on one core (sim wall %.1f s, whole run %.0f packets/s)%n",
        crawlerSeconds, timed.sent, timed.sent / crawlerSeconds, wall / 1e9, timed.sent / (wall / 1e9));
    plot(curve, truth.size(), n, png);
    System.out.println("plot: " + png);
  }

  static void plot(List<Point> curve, int total, int nodes, String file) throws Exception {
    int w = 900;
    int h = 500;
    int left = 80;
    int right = 30;
    int top = 40;
    int bottom = 60;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    long maxPackets = curve.get(curve.size() - 1).packets();
    double maxX = Math.max(1, maxPackets / (double) nodes);
    int pw = w - left - right;
    int ph = h - top - bottom;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.setColor(new Color(230, 230, 230));
    for (int i = 0; i <= 10; i++) {
      int y = top + ph - i * ph / 10;
      g.drawLine(left, y, left + pw, y);
    }
    g.setColor(Color.BLACK);
    g.drawRect(left, top, pw, ph);
    for (int i = 0; i <= 10; i += 2) {
      g.drawString(i * 10 + "%", left - 40, top + ph - i * ph / 10 + 4);
    }
    for (int i = 0; i <= 6; i++) {
      double x = maxX * i / 6;
      g.drawString(String.format(Locale.ROOT, "%.2f", x), left + (int) (pw * i / 6.0) - 12, top + ph + 18);
    }
    g.drawString("packets sent per node of the network (budget 2,000 pkt/s of virtual time)", left + 200, h - 20);
    g.drawString("Crawl of " + nodes + " simulated nodes: distinct infohashes found and nodes sampled", left, 25);
    drawSeries(g, curve, p -> (double) p.distinct() / total, new Color(200, 40, 40), left, top, pw, ph, maxX, nodes);
    drawSeries(g, curve, p -> (double) p.sampled() / nodes, new Color(40, 80, 200), left, top, pw, ph, maxX, nodes);
    g.setStroke(new BasicStroke(1));
    g.setColor(Color.GRAY);
    int y90 = top + ph - (int) (0.9 * ph);
    g.drawLine(left, y90, left + pw, y90);
    g.setColor(new Color(200, 40, 40));
    g.drawString("distinct infohashes / all in the network", left + pw - 290, top + ph - 40);
    g.setColor(new Color(40, 80, 200));
    g.drawString("nodes sampled / all nodes", left + pw - 290, top + ph - 22);
    g.dispose();
    File f = new File(file);
    if (f.getParentFile() != null) {
      f.getParentFile().mkdirs();
    }
    ImageIO.write(img, "png", f);
  }

  private static void drawSeries(Graphics2D g, List<Point> curve, java.util.function.ToDoubleFunction<Point> y,
      Color c, int left, int top, int pw, int ph, double maxX, int nodes) {
    g.setColor(c);
    g.setStroke(new BasicStroke(2.5f));
    int px = left;
    int py = top + ph;
    for (Point p : curve) {
      int x = left + (int) (pw * (p.packets() / (double) nodes) / maxX);
      int yy = top + ph - (int) (ph * Math.min(1, y.applyAsDouble(p)));
      g.drawLine(px, py, x, yy);
      px = x;
      py = yy;
    }
  }
}
