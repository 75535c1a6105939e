// hit_load: the lean HTTP/1.1 load client of bench/hit-path.sh. It measures servers that answer
// from memory, where the client's own cost per response must stay well below the server's:
// `wrk -t1` spends 42-49 us of CPU per 64 KiB response (8 KiB reads with an ioctl(FIONREAD)
// between them), more than the servers it measures, so every fast server looked alike.
//
// What it does, like wrk: a closed loop of CONNS keep-alive connections, each with one GET in
// flight; latency from sending a request to the last byte of its response; requests/s over the
// measured time. What it does differently, to be cheap: one epoll loop per thread; the head is
// read into a 4 KiB buffer and, once its Content-Length is known, the rest of the body is
// discarded in the kernel with recv(MSG_TRUNC) (counted, not copied to user space: a 64 KiB
// response is one small read and one discarding read); an HDR-style log-linear latency
// histogram (128 linear buckets, then 64 per power of two: under 1.6 % error). The client does
// the same work whichever server it measures: it never looks at body bytes, wrk does not either.
//
// Every response is checked: status 2xx, a Content-Length (chunked bodies are refused, not
// guessed), the body size when -s is given, no bytes beyond the response. Anything else counts
// as an error, and a connection that errs is reopened at most once per second of the run, so a
// dead server ends the run instead of spinning it. Bounded by -d seconds and -n requests.
//
// Open loop (-R RATE, as wrk2): a closed loop's p99 at saturation is mostly queueing, and it
// hides a stall: while a response is late its connection sends nothing, so the requests that
// would have waited behind it are never timed ("coordinated omission"). With -R each connection
// has a schedule of intended send times, RATE/CONNS per second, staggered across connections; a
// request goes out at its intended time, or at once if the previous response came back later
// than that, and its latency is measured from the intended time, not from when it was sent. So a
// stall of S ms shows up in every request that was due during it, as it would for users arriving
// at that rate. Offered below a server's capacity, the p99 is its tail latency, not saturation.
// Requests due within kPaceSlackNs of a wake-up leave together (timed from when they actually
// left): one timer wake-up per request would cost the client more than the server it measures.
//
//   cc -O2 -Wall -Wextra -Werror -pthread -o hit_load bench/hit-load/hit_load.c
//   hit_load -c 64 -d 10 [-t 1] [-n 10000000] [-s 65536] [-R 30000] http://127.0.0.1:8080/obj/1
//
// Output: a human summary on stderr and one line on stdout that bench/hit_path_run.py parses:
//   requests=N seconds=S rps=R p50_ms=.. p90_ms=.. p99_ms=.. p999_ms=.. max_ms=.. errors=E
//   non2xx=K bytes=B offered_rps=O late_sends=L
// (offered_rps is 0 in a closed loop; late_sends counts requests sent more than 1 ms after their
// intended time: the server or the client could not keep up with the offered rate.)
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum {
  kRecvBuffer = 256 * 1024,  // the most one body read discards
  kHeadRead = 4 * 1024,      // a head read: the head and, for small objects, the whole body
  kMaxHead = 16 * 1024,
  kLinearBuckets = 128,
  kSubBuckets = 64,
  kBuckets = kLinearBuckets + (64 - 7) * kSubBuckets,
  kMaxConns = 10000,
  kMaxThreads = 64,
};
static const uint64_t kPaceSlackNs = 100000;  // open loop: how early a request may leave

// ---- latency histogram (nanoseconds) ----

static int bucketOf(uint64_t ns) {
  if (ns < kLinearBuckets) return (int)ns;
  int msb = 63 - __builtin_clzll(ns);  // >= 7
  int shift = msb - 6;                 // keeps 7 significant bits: ns >> shift in [64, 128)
  return kLinearBuckets + (msb - 7) * kSubBuckets + (int)(ns >> shift) - kSubBuckets;
}

static double bucketMidNs(int b) {  // the middle of the values bucket b holds
  if (b < kLinearBuckets) return b;
  int msb = 7 + (b - kLinearBuckets) / kSubBuckets;
  uint64_t sub = (uint64_t)((b - kLinearBuckets) % kSubBuckets + kSubBuckets);
  int shift = msb - 6;
  return (double)(sub << shift) + (double)(1ull << shift) / 2;
}

// ---- configuration ----

struct Config {
  struct sockaddr_in addr;
  char request[1024];
  size_t request_len;
  int conns, threads;
  double seconds;
  long long max_requests;  // over all threads
  long long expect_body;   // -1: any size
  double rate;             // -R: requests per second over all connections; 0: closed loop
  uint64_t interval_ns;    // open loop: time between one connection's intended sends
};

static void usage(const char* why) {
  fprintf(stderr,
          "hit_load: %s\nusage: hit_load -c CONNS -d SECONDS [-t THREADS] [-n MAX_REQUESTS] "
          "[-s BODY_BYTES] [-R REQUESTS_PER_SECOND] http://IPv4:PORT/PATH\n",
          why);
  exit(2);
}

static long long parseCount(const char* text, const char* flag, long long lo, long long hi) {
  char* end = NULL;
  errno = 0;
  long long v = strtoll(text, &end, 10);
  if (errno || end == text || *end || v < lo || v > hi) {
    char why[160];
    snprintf(why, sizeof why, "%s must be a whole number in [%lld, %lld], got '%s'", flag, lo, hi,
             text);
    usage(why);
  }
  return v;
}

static void parseUrl(const char* url, struct Config* cfg) {
  const char* p = url;
  if (strncmp(p, "http://", 7) != 0) usage("the URL must start with http:// (no TLS here)");
  p += 7;
  const char* colon = strchr(p, ':');
  const char* slash = strchr(p, '/');
  if (!colon || !slash || colon > slash) usage("the URL needs an IPv4 address, a port and a path");
  char host[64];
  size_t host_len = (size_t)(colon - p);
  if (host_len == 0 || host_len >= sizeof host) usage("the URL's host is not an IPv4 address");
  memcpy(host, p, host_len);
  host[host_len] = 0;
  char port_text[16];
  size_t port_len = (size_t)(slash - colon - 1);
  if (port_len == 0 || port_len >= sizeof port_text) usage("the URL's port is missing or too long");
  memcpy(port_text, colon + 1, port_len);
  port_text[port_len] = 0;
  memset(&cfg->addr, 0, sizeof cfg->addr);
  cfg->addr.sin_family = AF_INET;
  cfg->addr.sin_port = htons((uint16_t)parseCount(port_text, "the URL's port", 1, 65535));
  if (inet_pton(AF_INET, host, &cfg->addr.sin_addr) != 1)
    usage("the URL's host must be an IPv4 address (this client does not resolve names)");
  for (const char* c = slash; *c; ++c)
    if (*c <= ' ' || *c == 0x7f) usage("the URL's path has a space or a control character");
  int n = snprintf(cfg->request, sizeof cfg->request, "GET %s HTTP/1.1\r\nHost: %.*s\r\n\r\n",
                   slash, (int)(slash - p), p);
  if (n < 0 || (size_t)n >= sizeof cfg->request) usage("the URL is too long");
  cfg->request_len = (size_t)n;
}

// ---- one connection ----

enum State { kIdle, kHead, kBody };

struct Conn {
  int fd;
  enum State state;
  uint64_t sent_ns;
  size_t head_len;
  long long body_left;
  int status;
  uint64_t due_ns;    // open loop: when this connection's next request is meant to leave
  int close_after;    // the response said Connection: close
  double retry_at_s;  // when a failed connection may be reopened
  char head[kMaxHead];
};

struct Worker {
  const struct Config* cfg;
  int epoll_fd;
  struct Conn* conns;
  int nconns;
  uint64_t hist[kBuckets];
  long long done, errors, non2xx, bytes, late_sends;
  uint64_t max_ns;
  char first_error[200];
};

static _Atomic long long g_started;  // requests sent, all threads: the -n bound
static uint64_t g_start_ns, g_end_ns;

static uint64_t nowNs(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void noteError(struct Worker* w, const char* what) {
  ++w->errors;
  if (!w->first_error[0]) snprintf(w->first_error, sizeof w->first_error, "%s", what);
}

static void closeConn(struct Worker* w, struct Conn* c, int failed) {
  if (c->fd >= 0) close(c->fd);  // close also removes it from the epoll set
  c->fd = -1;
  c->state = kIdle;
  // A failed connection waits a second before it is reopened: a refusing server costs one
  // connect per connection per second, not a spin.
  c->retry_at_s = failed ? (double)(nowNs() - g_start_ns) / 1e9 + 1.0 : 0;
  (void)w;
}

// Sends the next request, or returns 0 when the -n bound is reached. In the open loop it is
// called once the connection's intended time has come (or is at most kPaceSlackNs away), and
// the latency clock starts at that intended time when it is in the past (the previous response
// came back late), else when the request actually leaves.
static int sendRequest(struct Worker* w, struct Conn* c) {
  if (atomic_fetch_add(&g_started, 1) >= w->cfg->max_requests) return 0;
  c->sent_ns = nowNs();
  if (w->cfg->rate > 0) {
    if (c->sent_ns > c->due_ns + 1000000) ++w->late_sends;
    if (c->due_ns < c->sent_ns) c->sent_ns = c->due_ns;  // late: the clock started when due
    c->due_ns += w->cfg->interval_ns;
  }
  ssize_t n = send(c->fd, w->cfg->request, w->cfg->request_len, MSG_NOSIGNAL);
  if (n != (ssize_t)w->cfg->request_len) {
    // The socket's send buffer is empty between requests (one in flight), so a short send
    // means the connection is broken.
    noteError(w, n < 0 ? strerror(errno) : "short send of a request");
    closeConn(w, c, 1);
    return 1;
  }
  c->state = kHead;
  c->head_len = 0;
  return 1;
}

static int openConn(struct Worker* w, struct Conn* c) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    noteError(w, strerror(errno));
    return 0;
  }
  // Blocking connect: on loopback it completes or is refused at once.
  if (connect(fd, (const struct sockaddr*)&w->cfg->addr, sizeof w->cfg->addr) != 0) {
    char why[200];
    snprintf(why, sizeof why, "connect: %s", strerror(errno));
    noteError(w, why);
    close(fd);
    c->fd = -1;
    closeConn(w, c, 1);
    return 0;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  c->fd = fd;
  c->state = kIdle;
  c->close_after = 0;
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
  if (epoll_ctl(w->epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0) {
    noteError(w, strerror(errno));
    closeConn(w, c, 1);
    return 0;
  }
  return 1;
}

// Parses a complete head (head[0..len) ends with CRLFCRLF). Returns 0 on a protocol error.
static int parseHead(struct Worker* w, struct Conn* c, size_t len) {
  const char* h = c->head;
  if (len < 12 || strncmp(h, "HTTP/1.", 7) != 0 || h[8] != ' ' || h[9] < '0' || h[9] > '9' ||
      h[10] < '0' || h[10] > '9' || h[11] < '0' || h[11] > '9') {
    noteError(w, "response does not start with an HTTP/1.x status line");
    return 0;
  }
  int status = (h[9] - '0') * 100 + (h[10] - '0') * 10 + (h[11] - '0');
  if (status < 200 || status > 599) {
    noteError(w, "1xx or malformed status code");
    return 0;
  }
  c->status = status;
  c->body_left = -1;
  c->close_after = h[7] == '0';  // HTTP/1.0 closes unless told otherwise; fine for a count
  const char* line = memchr(h, '\n', len);
  const char* end = h + len;
  while (line && line + 1 < end) {
    const char* field = line + 1;
    const char* eol = memchr(field, '\n', (size_t)(end - field));
    if (!eol) break;
    size_t flen = (size_t)(eol - field);
    if (flen > 15 && strncasecmp(field, "content-length:", 15) == 0) {
      const char* v = field + 15;
      while (*v == ' ' || *v == '\t') ++v;
      long long n = 0;
      int digits = 0;
      while (*v >= '0' && *v <= '9' && n < (1ll << 50)) n = n * 10 + (*v++ - '0'), ++digits;
      while (*v == ' ' || *v == '\t') ++v;
      if (!digits || *v != '\r' || (c->body_left >= 0 && c->body_left != n)) {
        noteError(w, "bad or conflicting Content-Length");
        return 0;
      }
      c->body_left = n;
    } else if (flen > 18 && strncasecmp(field, "transfer-encoding:", 18) == 0) {
      noteError(w, "Transfer-Encoding in a response: this client frames by Content-Length only");
      return 0;
    } else if (flen > 11 && strncasecmp(field, "connection:", 11) == 0) {
      if (memmem(field, flen, "close", 5)) c->close_after = 1;
    }
    line = eol;
  }
  if (c->body_left < 0) {
    noteError(w, "response without Content-Length");
    return 0;
  }
  if (w->cfg->expect_body >= 0 && c->body_left != w->cfg->expect_body) {
    noteError(w, "body size differs from -s");
    return 0;
  }
  return 1;
}

static void finishResponse(struct Worker* w, struct Conn* c) {
  uint64_t now = nowNs();
  if (now <= g_end_ns) {  // a response that ends after the deadline is not counted
    uint64_t ns = now - c->sent_ns;
    ++w->hist[bucketOf(ns)];
    if (ns > w->max_ns) w->max_ns = ns;
    ++w->done;
    if (c->status >= 300) ++w->non2xx;
  }
  c->state = kIdle;
  if (c->close_after) {
    closeConn(w, c, 0);
    return;
  }
  // The open loop sends the next request when it is due (the worker's loop does that).
  if (now < g_end_ns && (w->cfg->rate == 0 || now + kPaceSlackNs >= c->due_ns)) sendRequest(w, c);
}

// Consumes what one read returned. Returns 0 when the connection must be closed as failed.
// In the body only n counts: a MSG_TRUNC read leaves data's bytes unwritten.
static int consume(struct Worker* w, struct Conn* c, const char* data, size_t n) {
  if (c->state == kIdle) {
    noteError(w, "bytes beyond the response (or an unsolicited response)");
    return 0;
  }
  while (n > 0) {
    if (c->state == kHead) {
      size_t room = kMaxHead - c->head_len;
      size_t take = n < room ? n : room;
      memcpy(c->head + c->head_len, data, take);
      // Look for the blank line from a few bytes before the new data (it may straddle reads).
      size_t from = c->head_len > 3 ? c->head_len - 3 : 0;
      c->head_len += take;
      char* blank = memmem(c->head + from, c->head_len - from, "\r\n\r\n", 4);
      if (!blank) {
        if (c->head_len == kMaxHead) {
          noteError(w, "response head larger than 16 KiB");
          return 0;
        }
        return 1;  // all of data went into the head
      }
      size_t head_len = (size_t)(blank + 4 - c->head);
      size_t used = take - (c->head_len - head_len);
      if (!parseHead(w, c, head_len)) return 0;
      data += used;
      n -= used;
      w->bytes += (long long)head_len;
      c->state = kBody;
      if (c->body_left == 0) break;
      continue;
    }
    size_t take = (long long)n < c->body_left ? n : (size_t)c->body_left;
    c->body_left -= (long long)take;
    w->bytes += (long long)take;
    data += take;
    n -= take;
    if (c->body_left == 0) break;
  }
  if (c->state == kBody && c->body_left == 0) {
    // One request is in flight, so a read that goes past the end of its response holds bytes
    // nobody asked for (and the next request is not sent yet).
    if (n > 0) {
      noteError(w, "bytes beyond the response (or an unsolicited response)");
      return 0;
    }
    finishResponse(w, c);
  }
  return 1;
}

static void* runWorker(void* arg) {
  struct Worker* w = arg;
  static _Thread_local char buf[kRecvBuffer];
  struct epoll_event events[256];
  const int open_loop = w->cfg->rate > 0;
  for (int i = 0; i < w->nconns; ++i)
    if (openConn(w, &w->conns[i]) && !open_loop) sendRequest(w, &w->conns[i]);
  for (;;) {
    uint64_t now = nowNs();
    if (now >= g_end_ns) break;
    int busy = 0;
    // Wake at the deadline, within 100 ms to reopen failed connections, or (open loop) when
    // the next idle connection's request is due.
    uint64_t wake_ns = now + 100000000ull < g_end_ns ? now + 100000000ull : g_end_ns;
    for (int i = 0; i < w->nconns; ++i) {
      struct Conn* c = &w->conns[i];
      if (c->fd < 0 && (double)(now - g_start_ns) / 1e9 >= c->retry_at_s &&
          atomic_load(&g_started) < w->cfg->max_requests && openConn(w, c) && !open_loop)
        sendRequest(w, c);
      if (open_loop && c->fd >= 0 && c->state == kIdle &&
          atomic_load(&g_started) < w->cfg->max_requests) {
        if (c->due_ns <= now + kPaceSlackNs) sendRequest(w, c);
        else if (c->due_ns < wake_ns) wake_ns = c->due_ns;
      }
      if (c->fd >= 0 && c->state != kIdle) busy = 1;
    }
    if (!busy && atomic_load(&g_started) >= w->cfg->max_requests) break;  // -n reached, all in
    // epoll_pwait2 takes a nanosecond timeout: epoll_wait's milliseconds would send an open
    // loop's requests up to a millisecond late and put that into every latency.
    uint64_t wait_ns = wake_ns > now ? wake_ns - now : 0;
    struct timespec timeout = {.tv_sec = (time_t)(wait_ns / 1000000000ull),
                               .tv_nsec = (long)(wait_ns % 1000000000ull)};
    int n = epoll_pwait2(w->epoll_fd, events, 256, &timeout, NULL);
    if (n < 0 && errno != EINTR) {
      noteError(w, strerror(errno));
      break;
    }
    for (int i = 0; i < n; ++i) {
      struct Conn* c = events[i].data.ptr;
      if (c->fd < 0) continue;
      for (;;) {  // drain: a response may need more than one read
        // Head first, into a small buffer; once the head is parsed the body's length is known
        // and the body is discarded in the kernel (tcp(7): MSG_TRUNC on a TCP socket drops the
        // data instead of copying it) and only counted, never past the end of this response.
        size_t want = kHeadRead;
        int flags = 0;
        if (c->state == kBody && c->body_left > 0) {
          want = c->body_left < (long long)sizeof buf ? (size_t)c->body_left : sizeof buf;
          flags = MSG_TRUNC;
        }
        ssize_t got = recv(c->fd, buf, want, flags);
        if (got > 0) {
          if ((size_t)got > want) {  // TCP never reports more than asked, even with MSG_TRUNC
            noteError(w, "recv returned more bytes than asked for");
            closeConn(w, c, 1);
            break;
          }
          int was_body = c->state == kBody;
          if (!consume(w, c, buf, (size_t)got)) {
            closeConn(w, c, 1);
            break;
          }
          if (c->fd < 0 || (size_t)got < want) break;  // closed after, or socket drained
          // A body read that ended the response: the next request was just sent, nothing of
          // its answer can be here yet.
          if (was_body && c->state != kBody) break;
          continue;
        }
        if (got < 0 && (errno == EAGAIN || errno == EINTR)) break;
        if (got == 0 && c->state == kIdle) {
          closeConn(w, c, 0);  // the server closed an idle keep-alive connection: reopen
        } else {
          noteError(w, got == 0 ? "connection closed mid-response" : strerror(errno));
          closeConn(w, c, 1);
        }
        break;
      }
    }
  }
  for (int i = 0; i < w->nconns; ++i)
    if (w->conns[i].fd >= 0) close(w->conns[i].fd);
  return NULL;
}

// ---- main ----

static double percentileMs(const uint64_t* hist, long long total, double p) {
  long long want = (long long)(p * (double)total + 0.999999);
  if (want < 1) want = 1;
  long long seen = 0;
  for (int b = 0; b < kBuckets; ++b) {
    seen += (long long)hist[b];
    if (seen >= want) return bucketMidNs(b) / 1e6;
  }
  return 0;
}

int main(int argc, char** argv) {
  struct Config cfg = {.conns = 0, .threads = 1, .seconds = 0, .max_requests = 1ll << 40,
                       .expect_body = -1};
  int opt;
  while ((opt = getopt(argc, argv, "c:d:t:n:s:R:")) != -1) {
    switch (opt) {
      case 'c': cfg.conns = (int)parseCount(optarg, "-c", 1, kMaxConns); break;
      case 'd': cfg.seconds = (double)parseCount(optarg, "-d", 1, 3600); break;
      case 't': cfg.threads = (int)parseCount(optarg, "-t", 1, kMaxThreads); break;
      case 'n': cfg.max_requests = parseCount(optarg, "-n", 1, 1ll << 40); break;
      case 's': cfg.expect_body = parseCount(optarg, "-s", 0, 1ll << 40); break;
      case 'R': cfg.rate = (double)parseCount(optarg, "-R", 1, 100000000); break;
      default: usage("unknown option");
    }
  }
  if (cfg.conns == 0 || cfg.seconds == 0) usage("-c and -d are required");
  if (optind != argc - 1) usage("exactly one URL is required");
  if (cfg.threads > cfg.conns) usage("-t must not exceed -c (each thread needs a connection)");
  parseUrl(argv[optind], &cfg);

  struct Conn* conns = calloc((size_t)cfg.conns, sizeof *conns);
  struct Worker* workers = calloc((size_t)cfg.threads, sizeof *workers);
  pthread_t tids[kMaxThreads];
  if (!conns || !workers) usage("out of memory");
  for (int i = 0; i < cfg.conns; ++i) conns[i].fd = -1;
  g_start_ns = nowNs();
  g_end_ns = g_start_ns + (uint64_t)(cfg.seconds * 1e9);
  if (cfg.rate > 0) {
    // Each connection offers RATE/CONNS per second; their schedules are staggered evenly so
    // the requests arrive spread over time, not in bursts of CONNS.
    cfg.interval_ns = (uint64_t)((double)cfg.conns / cfg.rate * 1e9);
    if (cfg.interval_ns == 0) cfg.interval_ns = 1;
    for (int i = 0; i < cfg.conns; ++i)
      conns[i].due_ns = g_start_ns + cfg.interval_ns * (uint64_t)i / (uint64_t)cfg.conns;
    // The default 50 us timer slack would add itself to every paced send.
    prctl(PR_SET_TIMERSLACK, 1000, 0, 0, 0);
  }
  for (int t = 0, first = 0; t < cfg.threads; ++t) {
    struct Worker* w = &workers[t];
    int share = cfg.conns / cfg.threads + (t < cfg.conns % cfg.threads);
    w->cfg = &cfg;
    w->conns = conns + first;
    w->nconns = share;
    first += share;
    w->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (w->epoll_fd < 0) usage("epoll_create1 failed");
    if (pthread_create(&tids[t], NULL, runWorker, w) != 0) usage("pthread_create failed");
  }
  uint64_t hist[kBuckets] = {0};
  long long done = 0, errors = 0, non2xx = 0, bytes = 0, late_sends = 0;
  uint64_t max_ns = 0;
  const char* first_error = "";
  for (int t = 0; t < cfg.threads; ++t) {
    pthread_join(tids[t], NULL);
    struct Worker* w = &workers[t];
    for (int b = 0; b < kBuckets; ++b) hist[b] += w->hist[b];
    done += w->done;
    errors += w->errors;
    non2xx += w->non2xx;
    bytes += w->bytes;
    late_sends += w->late_sends;
    if (w->max_ns > max_ns) max_ns = w->max_ns;
    if (!first_error[0]) first_error = w->first_error;
    close(w->epoll_fd);
  }
  uint64_t end = nowNs();
  double seconds = (double)((end < g_end_ns ? end : g_end_ns) - g_start_ns) / 1e9;
  if (done == 0) {
    fprintf(stderr, "hit_load: no response completed in %.1f s (%lld errors%s%s)\n", seconds,
            errors, first_error[0] ? "; first: " : "", first_error);
    return 1;
  }
  double p50 = percentileMs(hist, done, 0.50), p90 = percentileMs(hist, done, 0.90),
         p99 = percentileMs(hist, done, 0.99), p999 = percentileMs(hist, done, 0.999);
  fprintf(stderr,
          "hit_load: %lld responses in %.2f s, %.0f req/s, %.1f MB/s; latency p50 %.3f ms, "
          "p90 %.3f, p99 %.3f, p99.9 %.3f, max %.3f; %lld non-2xx; %lld errors%s%s%s\n",
          done, seconds, done / seconds, bytes / seconds / 1e6, p50, p90, p99, p999,
          max_ns / 1e6, non2xx, errors, first_error[0] ? " (first: " : "", first_error,
          first_error[0] ? ")" : "");
  if (cfg.rate > 0)
    fprintf(stderr, "hit_load: open loop at %.0f req/s offered (latency from each request's "
            "intended send time); %lld requests left more than 1 ms late\n", cfg.rate, late_sends);
  printf("requests=%lld seconds=%.3f rps=%.0f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f "
         "max_ms=%.3f errors=%lld non2xx=%lld bytes=%lld offered_rps=%.0f late_sends=%lld\n",
         done, seconds, done / seconds, p50, p90, p99, p999, max_ns / 1e6, errors, non2xx, bytes,
         cfg.rate, late_sends);
  free(conns);
  free(workers);
  return 0;
}
