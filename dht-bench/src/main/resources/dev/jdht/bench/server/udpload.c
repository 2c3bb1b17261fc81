/*
 * A light KRPC load generator for ServerLoadBench (--generator native): batched system calls, so
 * that the generator takes little of the machine and the node under test gets a core of its own.
 *
 * One UDP socket bound to 0.0.0.0:<port>. Each query leaves with its own source address
 * 127.<second>.(i / 250).(i % 250 + 1) chosen per datagram with an IP_PKTINFO control message
 * (every 127.x.y.z address is local on Linux), so the node sees `sources` distinct IPs while the
 * generator needs one socket; the replies to those addresses arrive on the same socket. Queries
 * go out with sendmmsg in batches, paced to `rate` per second; a second thread reads replies
 * with recvmmsg and records each one's latency from the send time kept by transaction id.
 *
 * Usage: udpload <server-ip> <server-port> <rate> <seconds> <sources> <second-octet> <query> <id-hex> [block|spin]
 *   query: ping | find_node | get_peers | mix
 *   spin: one thread that never sleeps, reading replies without blocking whenever no query is due,
 *   so that no thread ever waits on the socket and the node's sendto has nobody to wake up
 *   (block, the default: a sender napping 50 us between batches and a receiver thread in recvmmsg)
 * Prints one line: sent=N replies=N elapsed_ns=N p50_ns=N p99_ns=N max_ns=N
 * Replies are counted until 1 s after the last query was sent.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define RING (1u << 22)
#define MAX_LAT (1u << 25)

static int fd;
static struct sockaddr_in server;
static int64_t *sent_at;     /* send time by transaction id, RING slots */
static int64_t *latencies;
static uint32_t n_lat;
static atomic_long replies;
static atomic_int stop_receiver;

static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* A query's bytes; the 4-byte transaction id sits at seq_at, the 20-byte target at target_at (-1: none). */
typedef struct {
  unsigned char bytes[160];
  int len, seq_at, target_at;
} template_t;

static void put(template_t *t, const char *s) {
  size_t n = strlen(s);
  memcpy(t->bytes + t->len, s, n);
  t->len += (int)n;
}

static void make_template(template_t *t, const char *method, const unsigned char id[20]) {
  t->len = 0;
  t->target_at = -1;
  put(t, "d1:ad2:id20:");
  memcpy(t->bytes + t->len, id, 20);
  t->len += 20;
  if (strcmp(method, "find_node") == 0) {
    put(t, "6:target20:");
    t->target_at = t->len;
    t->len += 20;
  } else if (strcmp(method, "get_peers") == 0) {
    put(t, "9:info_hash20:");
    t->target_at = t->len;
    t->len += 20;
  }
  char tail[64];
  snprintf(tail, sizeof tail, "e1:q%zu:%s1:t4:", strlen(method), method);
  put(t, tail);
  t->seq_at = t->len;
  t->len += 4;
  put(t, "1:y1:qe");
}

/* True when the datagram is a KRPC response (the node also sends its own queries, e.g. pings to new queriers). */
static int is_response(const unsigned char *b, int n) {
  for (int i = 0; i + 6 <= n; i++) {
    if (b[i] == '1' && b[i + 1] == ':' && b[i + 2] == 'y' && b[i + 3] == '1' && b[i + 4] == ':') {
      return b[i + 5] == 'r';
    }
  }
  return 0;
}

/* The 4-byte transaction id after "1:t4:" in a reply, or -1. */
static int64_t transaction(const unsigned char *b, int n) {
  for (int i = 0; i + 9 <= n; i++) {
    if (b[i] == '1' && b[i + 1] == ':' && b[i + 2] == 't' && b[i + 3] == '4' && b[i + 4] == ':') {
      return (int64_t)((uint32_t)b[i + 5] << 24 | (uint32_t)b[i + 6] << 16 | (uint32_t)b[i + 7] << 8 | b[i + 8]);
    }
  }
  return -1;
}

static unsigned char rx_bufs[BATCH][2048];
static struct mmsghdr rx_msgs[BATCH];
static struct iovec rx_iov[BATCH];

static void rx_init(void) {
  for (int i = 0; i < BATCH; i++) {
    rx_iov[i].iov_base = rx_bufs[i];
    rx_iov[i].iov_len = sizeof rx_bufs[i];
    memset(&rx_msgs[i], 0, sizeof rx_msgs[i]);
    rx_msgs[i].msg_hdr.msg_iov = &rx_iov[i];
    rx_msgs[i].msg_hdr.msg_iovlen = 1;
  }
}

/* One recvmmsg with these flags; counts the responses and records their latencies. Returns the datagrams read. */
static int rx_once(int flags) {
  int n = recvmmsg(fd, rx_msgs, BATCH, flags, NULL);
  if (n <= 0) {
    return 0;
  }
  int64_t t = now_ns();
  int answers = 0;
  for (int i = 0; i < n; i++) {
    if (!is_response(rx_bufs[i], (int)rx_msgs[i].msg_len)) {
      continue;
    }
    answers++;
    int64_t seq = transaction(rx_bufs[i], (int)rx_msgs[i].msg_len);
    if (seq >= 0) {
      int64_t s = sent_at[seq & (RING - 1)];
      if (s != 0 && n_lat < MAX_LAT) {
        latencies[n_lat++] = t - s;
      }
    }
  }
  atomic_fetch_add(&replies, answers);
  return n;
}

/* The receiver thread of the blocking mode. */
static void *receiver(void *arg) {
  (void)arg;
  while (!atomic_load(&stop_receiver)) {
    /* blocks until one datagram (SO_RCVTIMEO bounds the wait), then takes what else is queued */
    rx_once(MSG_WAITFORONE);
  }
  return NULL;
}

static int cmp64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

static int64_t pct(double p) {
  if (n_lat == 0) {
    return -1;
  }
  long rank = (long)(p * n_lat + 0.999999) - 1;
  if (rank < 0) rank = 0;
  if (rank >= (long)n_lat) rank = n_lat - 1;
  return latencies[rank];
}

int main(int argc, char **argv) {
  if (argc != 9 && argc != 10) {
    fprintf(stderr, "usage: udpload <server-ip> <server-port> <rate> <seconds> <sources> <second-octet> <query> <id-hex> [block|spin]\n");
    return 2;
  }
  int spin = argc == 10 && strcmp(argv[9], "spin") == 0;
  if (argc == 10 && !spin && strcmp(argv[9], "block") != 0) {
    fprintf(stderr, "udpload: the last argument is block or spin\n");
    return 2;
  }
  memset(&server, 0, sizeof server);
  server.sin_family = AF_INET;
  server.sin_port = htons((uint16_t)atoi(argv[2]));
  if (inet_pton(AF_INET, argv[1], &server.sin_addr) != 1) {
    fprintf(stderr, "udpload: bad server address %s\n", argv[1]);
    return 2;
  }
  long rate = atol(argv[3]);
  double seconds = atof(argv[4]);
  int sources = atoi(argv[5]);
  int second = atoi(argv[6]);
  const char *query = argv[7];
  unsigned char id[20];
  if (strlen(argv[8]) != 40 || rate <= 0 || seconds <= 0 || sources < 1 || sources > 64000) {
    fprintf(stderr, "udpload: bad arguments\n");
    return 2;
  }
  for (int i = 0; i < 20; i++) {
    sscanf(argv[8] + 2 * i, "%2hhx", &id[i]);
  }
  template_t templates[3];
  int n_templates = 1;
  if (strcmp(query, "mix") == 0) {
    make_template(&templates[0], "ping", id);
    make_template(&templates[1], "find_node", id);
    make_template(&templates[2], "get_peers", id);
    n_templates = 3;
  } else if (strcmp(query, "ping") == 0 || strcmp(query, "find_node") == 0 || strcmp(query, "get_peers") == 0) {
    make_template(&templates[0], query, id);
  } else {
    fprintf(stderr, "udpload: unknown query %s\n", query);
    return 2;
  }

  fd = socket(AF_INET, SOCK_DGRAM, 0);
  int big = 1 << 24;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
  struct timeval rcv_timeout = {0, 100 * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &rcv_timeout, sizeof rcv_timeout);
  struct sockaddr_in any = {0};
  any.sin_family = AF_INET;
  any.sin_addr.s_addr = htonl(INADDR_ANY);
  if (bind(fd, (struct sockaddr *)&any, sizeof any) != 0) {
    perror("udpload: bind");
    return 1;
  }
  sent_at = calloc(RING, sizeof *sent_at);
  latencies = malloc(MAX_LAT * sizeof *latencies);
  rx_init();
  pthread_t rx;
  if (!spin) {
    pthread_create(&rx, NULL, receiver, NULL);
  }

  static unsigned char out[BATCH][160];
  static char control[BATCH][CMSG_SPACE(sizeof(struct in_pktinfo))];
  struct mmsghdr msgs[BATCH];
  struct iovec iov[BATCH];
  unsigned int rnd = 12345;
  int64_t start = now_ns();
  int64_t end = start + (int64_t)(seconds * 1e9);
  long sent = 0;
  while (1) {
    int64_t t = now_ns();
    if (t >= end) {
      break;
    }
    long due = (long)((t - start) * (double)rate / 1e9);
    if (sent >= due) {
      if (spin) {
        rx_once(MSG_DONTWAIT);
      } else {
        struct timespec nap = {0, 50 * 1000};
        nanosleep(&nap, NULL);
      }
      continue;
    }
    while (sent < due) {
      int n = (int)(due - sent < BATCH ? due - sent : BATCH);
      for (int i = 0; i < n; i++) {
        long q = sent + i;
        template_t *tp = &templates[q % n_templates];
        memcpy(out[i], tp->bytes, tp->len);
        if (tp->target_at >= 0) {
          for (int j = 0; j < 20; j++) {
            rnd = rnd * 1103515245u + 12345u;
            out[i][tp->target_at + j] = (unsigned char)(rnd >> 16);
          }
        }
        uint32_t seq = (uint32_t)q;
        out[i][tp->seq_at] = (unsigned char)(seq >> 24);
        out[i][tp->seq_at + 1] = (unsigned char)(seq >> 16);
        out[i][tp->seq_at + 2] = (unsigned char)(seq >> 8);
        out[i][tp->seq_at + 3] = (unsigned char)seq;
        iov[i].iov_base = out[i];
        iov[i].iov_len = (size_t)tp->len;
        memset(&msgs[i], 0, sizeof msgs[i]);
        msgs[i].msg_hdr.msg_name = &server;
        msgs[i].msg_hdr.msg_namelen = sizeof server;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
        msgs[i].msg_hdr.msg_control = control[i];
        msgs[i].msg_hdr.msg_controllen = sizeof control[i];
        struct cmsghdr *c = CMSG_FIRSTHDR(&msgs[i].msg_hdr);
        c->cmsg_level = IPPROTO_IP;
        c->cmsg_type = IP_PKTINFO;
        c->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
        struct in_pktinfo *pi = (struct in_pktinfo *)CMSG_DATA(c);
        memset(pi, 0, sizeof *pi);
        int s = (int)(q % sources);
        pi->ipi_spec_dst.s_addr = htonl((127u << 24) | ((uint32_t)second << 16) | ((uint32_t)(s / 250) << 8) | (uint32_t)(s % 250 + 1));
        sent_at[seq & (RING - 1)] = now_ns();
      }
      int done = 0;
      while (done < n) {
        int r = sendmmsg(fd, msgs + done, (unsigned)(n - done), 0);
        if (r < 0) {
          if (errno == EINTR || errno == EAGAIN || errno == ENOBUFS) {
            continue;
          }
          perror("udpload: sendmmsg");
          return 1;
        }
        done += r;
      }
      sent += n;
      if (spin) {
        rx_once(MSG_DONTWAIT); /* catching up after a pause must not leave the replies unread */
      }
    }
  }
  int64_t elapsed = now_ns() - start;
  if (spin) {
    int64_t late_end = now_ns() + 1000000000LL;
    while (now_ns() < late_end) {
      rx_once(MSG_DONTWAIT);
    }
  } else {
    struct timespec late = {1, 0};
    nanosleep(&late, NULL);
    atomic_store(&stop_receiver, 1);
    pthread_join(rx, NULL);
  }
  qsort(latencies, n_lat, sizeof *latencies, cmp64);
  printf("sent=%ld replies=%ld elapsed_ns=%lld p50_ns=%lld p99_ns=%lld max_ns=%lld\n", sent, atomic_load(&replies),
         (long long)elapsed, (long long)pct(0.5), (long long)pct(0.99), (long long)(n_lat ? latencies[n_lat - 1] : -1));
  return 0;
}
