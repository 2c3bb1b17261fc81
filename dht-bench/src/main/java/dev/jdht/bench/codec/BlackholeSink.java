package dev.jdht.bench.codec;

import org.openjdk.jmh.infra.Blackhole;

/** A {@link Sink} that hands everything to a JMH {@link Blackhole}. Confined to one thread. */
public final class BlackholeSink implements Sink {
  private final Blackhole bh;

  /** Wraps the blackhole JMH injected into a benchmark's setup. */
  public BlackholeSink(Blackhole bh) {
    this.bh = bh;
  }

  @Override
  public void consume(Object o) {
    bh.consume(o);
  }

  @Override
  public void consume(int v) {
    bh.consume(v);
  }

  @Override
  public void consume(char v) {
    bh.consume(v);
  }

  @Override
  public void consume(boolean v) {
    bh.consume(v);
  }
}
