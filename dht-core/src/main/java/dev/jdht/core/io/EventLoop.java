package dev.jdht.core.io;

import dev.jdht.core.time.Clock;
import dev.jdht.core.time.TimerQueue;
import dev.jdht.krpc.wire.PeerAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns a node: a NIO selector over one UDP socket, a timer queue, and a
 * command queue that other threads post to.
 *
 * <p>Each pass: select until the next timer deadline (or a wakeup), drain every readable datagram
 * into one reused buffer and hand it to the {@link DatagramHandler}, run due timers, then run
 * posted commands. Nothing on the loop blocks. An exception from a handler, timer or command is
 * counted and logged at debug; it never stops the loop.
 *
 * <p>Threading: {@link #execute}, {@link #call} and {@link #close} may be called from any thread;
 * {@link #send}, {@link #timers()} and the handler run on the loop thread only.
 */
public final class EventLoop implements Transport, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventLoop.class);
  /** Receive buffer size: the largest possible UDP payload. */
  public static final int MAX_DATAGRAM = 65_535;
  private static final int MAX_DATAGRAMS_PER_PASS = 4096;
  private static final int MAX_COMMANDS_PER_PASS = 4096;
  private static final long MAX_SELECT_MILLIS = 1000;

  /** Receives datagrams on the loop thread. The array is reused after the call returns. */
  @FunctionalInterface
  public interface DatagramHandler {
    void onDatagram(PeerAddress from, byte[] buf, int off, int len);
  }

  private final Selector selector;
  private final Endpoint primary;
  private final java.util.List<Endpoint> endpoints = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Clock clock;
  private final TimerQueue timers = new TimerQueue();
  private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
  /**
   * The socket buffer size asked for by default: 1 MiB. Linux doubles it, and a small datagram
   * takes 0.7-1 KiB of it with the kernel's overhead: room for 2,000-3,000 queries, 20-30 ms at
   * 100,000/s.
   */
  public static final int DEFAULT_SOCKET_BUFFER_BYTES = 1 << 20;
  /** The smallest socket buffer size a DHT may ask for (4 KiB). */
  public static final int MIN_SOCKET_BUFFER_BYTES = 4096;
  /** The largest socket buffer size a DHT may ask for (1 GiB). */
  public static final int MAX_SOCKET_BUFFER_BYTES = 1 << 30;

  private final ByteBuffer receiveBuffer = ByteBuffer.allocate(MAX_DATAGRAM);
  private final Thread thread;
  private volatile boolean running = true;
  private long loopFailures;

  /**
   * One UDP socket of the loop and the handler of its datagrams. Its {@link #send} may be called
   * on the loop thread only.
   */
  public final class Endpoint implements Transport {
    private final DatagramChannel channel;
    private final InetSocketAddress localAddress;
    private volatile DatagramHandler handler = (from, buf, off, len) -> {};

    private Endpoint(DatagramChannel channel) throws IOException {
      this.channel = channel;
      this.localAddress = (InetSocketAddress) channel.getLocalAddress();
    }

    public void setHandler(DatagramHandler h) {
      this.handler = h;
    }

    /** True when this socket receives IPv4 datagrams (an IPv4 address, or the IPv6 wildcard). */
    public boolean servesIpv4() {
      return localAddress.getAddress() instanceof java.net.Inet4Address || localAddress.getAddress().isAnyLocalAddress();
    }

    /** True when this socket receives IPv6 datagrams. */
    public boolean servesIpv6() {
      return localAddress.getAddress() instanceof java.net.Inet6Address;
    }

    /** The bound address (with the real port when 0 was asked for). */
    public InetSocketAddress localAddress() {
      return localAddress;
    }

    /**
     * The receive buffer the kernel granted this socket in bytes, as Java reports it: the size
     * asked for unless Linux capped it at {@code net.core.rmem_max} (Linux keeps twice that for its
     * bookkeeping, and Java halves it back), or -1 when the socket is closed.
     */
    public int receiveBufferBytes() {
      try {
        return channel.getOption(StandardSocketOptions.SO_RCVBUF);
      } catch (IOException e) {
        return -1;
      }
    }

    @Override
    public boolean send(PeerAddress to, byte[] data, int off, int len) {
      try {
        return channel.send(ByteBuffer.wrap(data, off, len), to.toSocketAddress()) > 0;
      } catch (IOException | RuntimeException e) {
        log.debug("send to {} failed: {}", to, e.toString());
        return false;
      }
    }

    /** Closes this socket (on the loop thread, or after the loop stopped). */
    public void close() {
      endpoints.remove(this);
      try {
        channel.close();
      } catch (IOException e) {
        log.debug("close channel", e);
      }
    }
  }

  /**
   * Opens and binds the socket; the thread starts with {@link #start()}.
   *
   * @param bind local address (port 0 picks a free port)
   * @param clock the monotonic clock for timers
   * @param threadName name of the loop thread
   */
  public EventLoop(InetSocketAddress bind, Clock clock, String threadName) throws IOException {
    this(bind, clock, threadName, DEFAULT_SOCKET_BUFFER_BYTES);
  }

  /**
   * Opens and binds the socket with the given kernel buffer size; the thread starts with {@link
   * #start()}.
   *
   * @param socketBufferBytes {@code SO_RCVBUF} and {@code SO_SNDBUF} asked of the kernel (Linux
   *     doubles it for its bookkeeping and caps it at {@code net.core.rmem_max}/{@code wmem_max})
   */
  public EventLoop(InetSocketAddress bind, Clock clock, String threadName, int socketBufferBytes) throws IOException {
    this.clock = clock;
    this.selector = Selector.open();
    try {
      this.primary = open(bind, socketBufferBytes);
    } catch (IOException | RuntimeException e) {
      selector.close();
      throw e;
    }
    this.thread = new Thread(this::run, threadName);
    this.thread.setDaemon(true);
  }

  /**
   * Opens another UDP socket served by this loop (a local test network runs hundreds of nodes on
   * one thread this way). Call before {@link #start()} or on the loop thread.
   */
  public Endpoint open(InetSocketAddress bind, int socketBufferBytes) throws IOException {
    // the socket's family follows the address: 0.0.0.0 serves IPv4 only, [::] both families (the
    // JDK's IPv6 sockets are dual-stack), any other IPv6 address IPv6 only
    DatagramChannel ch = bind.getAddress() instanceof java.net.Inet6Address
        ? DatagramChannel.open(java.net.StandardProtocolFamily.INET6)
        : bind.getAddress() instanceof java.net.Inet4Address
            ? DatagramChannel.open(java.net.StandardProtocolFamily.INET)
            : DatagramChannel.open();
    try {
      ch.setOption(StandardSocketOptions.SO_RCVBUF, socketBufferBytes);
      ch.setOption(StandardSocketOptions.SO_SNDBUF, socketBufferBytes);
      ch.bind(bind);
      ch.configureBlocking(false);
      Endpoint e = new Endpoint(ch);
      ch.register(selector, SelectionKey.OP_READ, e);
      endpoints.add(e);
      return e;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Every open socket, the constructor's first. */
  public java.util.List<Endpoint> endpoints() {
    return java.util.List.copyOf(endpoints);
  }

  /** The socket given to the constructor. */
  public Endpoint primary() {
    return primary;
  }

  /** Starts the loop thread. */
  public void start() {
    thread.start();
  }

  /** Sets the handler of the primary socket. */
  public void setHandler(DatagramHandler h) {
    primary.setHandler(h);
  }

  /** The primary socket's bound address. */
  public InetSocketAddress localAddress() {
    return primary.localAddress();
  }

  /** The clock that drives the timers. */
  public Clock clock() {
    return clock;
  }

  /** The loop's timers; use only on the loop thread. */
  public TimerQueue timers() {
    return timers;
  }

  /** True when called on the loop thread. */
  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  /** Posts a command to run on the loop thread. Throws RejectedExecutionException once closed. */
  public void execute(Runnable command) {
    if (!running) {
      throw new RejectedExecutionException("event loop closed");
    }
    commands.add(command);
    selector.wakeup();
  }

  /** Runs {@code task} on the loop thread and completes the future with its result. */
  public <T> CompletableFuture<T> call(Supplier<T> task) {
    CompletableFuture<T> f = new CompletableFuture<>();
    try {
      execute(
          () -> {
            try {
              f.complete(task.get());
            } catch (RuntimeException e) {
              f.completeExceptionally(e);
            }
          });
    } catch (RejectedExecutionException e) {
      f.completeExceptionally(e);
    }
    return f;
  }

  /** Sends from the primary socket (loop thread only). */
  @Override
  public boolean send(PeerAddress to, byte[] data, int off, int len) {
    return primary.send(to, data, off, len);
  }

  /** Failures caught in the loop itself (timers, commands); for tests and stats. */
  public long loopFailures() {
    return loopFailures;
  }

  private void run() {
    try {
      while (running) {
        long now = clock.nanos();
        long next = timers.nextDeadline();
        long waitMillis = MAX_SELECT_MILLIS;
        if (next != Long.MAX_VALUE) {
          waitMillis = Math.min(MAX_SELECT_MILLIS, TimeUnit.NANOSECONDS.toMillis(Math.max(0, next - now) + 999_999));
        }
        if (!commands.isEmpty() || waitMillis <= 0) {
          selector.selectNow();
        } else {
          selector.select(waitMillis);
        }
        for (SelectionKey key : selector.selectedKeys()) {
          if (key.isValid() && key.attachment() instanceof Endpoint e) {
            drainDatagrams(e);
          }
        }
        selector.selectedKeys().clear();
        try {
          timers.runDue(clock.nanos());
        } catch (RuntimeException e) {
          loopFailures++;
          log.debug("timer failed", e);
        }
        runCommands();
      }
    } catch (IOException | RuntimeException e) {
      log.error("event loop stopped by an unexpected error", e);
    } finally {
      running = false;
      // run what is left so that posted close-handshakes complete
      runCommands();
    }
  }

  private void drainDatagrams(Endpoint e) {
    DatagramChannel channel = e.channel;
    DatagramHandler handler = e.handler;
    for (int i = 0; i < MAX_DATAGRAMS_PER_PASS; i++) {
      receiveBuffer.clear();
      SocketAddress src;
      try {
        src = channel.receive(receiveBuffer);
      } catch (IOException ex) {
        // e.g. ICMP port unreachable surfaced on some platforms, or the socket was closed
        log.debug("receive failed: {}", ex.toString());
        if (!channel.isOpen()) {
          return;
        }
        continue;
      }
      if (src == null) {
        return;
      }
      if (!(src instanceof InetSocketAddress isa) || isa.getAddress() == null) {
        continue;
      }
      try {
        handler.onDatagram(PeerAddress.of(isa), receiveBuffer.array(), 0, receiveBuffer.position());
      } catch (RuntimeException ex) {
        loopFailures++;
        log.debug("datagram handler failed", ex);
      }
    }
  }

  private void runCommands() {
    for (int i = 0; i < MAX_COMMANDS_PER_PASS; i++) {
      Runnable r = commands.poll();
      if (r == null) {
        return;
      }
      try {
        r.run();
      } catch (RuntimeException e) {
        loopFailures++;
        log.debug("command failed", e);
      }
    }
  }

  /** Stops the loop, joins its thread and releases the socket. Idempotent. */
  @Override
  public void close() {
    running = false;
    selector.wakeup();
    if (thread.isAlive() && Thread.currentThread() != thread) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Endpoint e : endpoints) {
      e.close();
    }
    try {
      selector.close();
    } catch (IOException e) {
      log.debug("close selector", e);
    }
  }

  /** True while the loop thread is alive. */
  public boolean isAlive() {
    return thread.isAlive();
  }
}
