/* A lean closed-loop YCSB client for bench/store/ycsb.py: the same operations as workload.lua
 * (GetItem / UpdateItem of one 100-byte field, uniform or YCSB's scrambled Zipf keys) over
 * HTTP/1.1 keep-alive, without wrk's per-request Lua call and its extra syscalls. On this 2-core
 * machine the client shares the CPU with the server it measures, so what the client spends per
 * request bounds every server's ops/s; this one costs one write(2) and (usually) one read(2) per
 * operation plus a share of an epoll_wait. Every server in a run is driven by the same client.
 *
 *   cc -O2 -o ycsb_client ycsb_client.c -lpthread -lm
 *   ycsb_client HOST PORT THREADS CONNECTIONS SECONDS TABLE RECORDS READ_PCT uniform|zipf
 *   (READ_PCT -1: every request is `GET /`, the HTTP layer's floor with no operation behind it)
 *
 * Prints one line `RESULT {json}` with the fields ycsb.py reads from workload.lua's done().
 * A response is complete when its head and Content-Length bytes of body have arrived; a status
 * other than 200 counts as err_status, a closed or failed connection as err_read / err_connect
 * (the connection is reopened). Each connection waits at most 5 s for an answer (err_timeout).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_REQ 1024
#define BUF_SIZE 65536
#define HIST_BUCKETS 4096 /* log-linear latency buckets: 64 sub-buckets per power of two of us */
#define TIMEOUT_US 5000000

static const char *g_host, *g_table;
static int g_port, g_records, g_read_pct, g_zipf, g_seconds;
static double *g_cdf; /* Zipf CDF over ranks 1..records (only with zipf) */

typedef struct {
  int fd;
  char req[MAX_REQ];
  size_t req_len;
  char buf[BUF_SIZE];
  size_t have;
  uint64_t sent_us;
} Conn;

typedef struct {
  int index, conns;
  uint64_t requests, err_connect, err_read, err_write, err_status, err_timeout;
  uint64_t hist[HIST_BUCKETS];
  uint64_t counter, rng;
  pthread_t thread;
} Worker;

static uint64_t now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u;
}

static uint64_t next_rand(Worker *w) { /* xorshift64* */
  w->rng ^= w->rng >> 12;
  w->rng ^= w->rng << 25;
  w->rng ^= w->rng >> 27;
  return w->rng * 2685821657736338717ull;
}
static double rand_unit(Worker *w) { return (double)(next_rand(w) >> 11) / 9007199254740992.0; }

static int bucket_of(uint64_t us) {
  if (us < 64) return (int)us;
  int msb = 63 - __builtin_clzll(us);
  int b = (msb - 5) * 64 + (int)((us >> (msb - 6)) & 63);
  return b < HIST_BUCKETS ? b : HIST_BUCKETS - 1;
}
static uint64_t bucket_value(int b) { /* the upper edge of bucket b, in us */
  if (b < 64) return (uint64_t)b;
  int msb = b / 64 + 5, sub = b % 64;
  return ((uint64_t)(64 + sub + 1) << (msb - 6)) - 1;
}

static int next_key(Worker *w) {
  if (!g_zipf) return (int)(next_rand(w) % (uint64_t)g_records);
  double u = rand_unit(w);
  int lo = 1, hi = g_records;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (g_cdf[mid - 1] < u) lo = mid + 1;
    else hi = mid;
  }
  /* Scrambled as workload.lua does: ((rank - 1) * 2654435761) % records. */
  return (int)(((uint64_t)(lo - 1) * 2654435761ull) % (uint64_t)g_records);
}

static void build_request(Worker *w, Conn *c) {
  char body[512];
  int key = next_key(w), n;
  const char *target;
  w->counter++;
  if (g_read_pct < 0) {  /* the HTTP floor: GET / (the store's health line), no JSON, no engine */
    c->req_len = (size_t)snprintf(c->req, sizeof c->req, "GET / HTTP/1.1\r\nHost: %s:%d\r\n\r\n", g_host, g_port);
    return;
  }
  if ((int)(next_rand(w) % 100) < g_read_pct) {
    target = "GetItem";
    n = snprintf(body, sizeof body, "{\"TableName\":\"%s\",\"Key\":{\"id\":{\"S\":\"user%09d\"}}}", g_table, key);
  } else {
    char value[101];
    snprintf(value, 9, "%08llu", (unsigned long long)(w->counter % 100000000ull));
    memset(value + 8, 'u', 92);
    value[100] = 0;
    target = "UpdateItem";
    n = snprintf(body, sizeof body,
                 "{\"TableName\":\"%s\",\"Key\":{\"id\":{\"S\":\"user%09d\"}},\"UpdateExpression\":\"SET #f = :v\","
                 "\"ExpressionAttributeNames\":{\"#f\":\"field%d\"},\"ExpressionAttributeValues\":{\":v\":{\"S\":\"%s\"}}}",
                 g_table, key, (int)(next_rand(w) % 10), value);
  }
  c->req_len = (size_t)snprintf(
      c->req, sizeof c->req,
      "POST / HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: DynamoDB_20120810.%s\r\n"
      "X-Amz-Date: 20250101T000000Z\r\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/dynamodb/aws4_request, "
      "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000000000000000000000000000000000000000000000000000000000000000\r\n"
      "Content-Length: %d\r\n\r\n%s",
      g_host, g_port, target, n, body);
}

static int open_conn(int ep, Conn *c) {
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)g_port)};
  inet_pton(AF_INET, g_host, &a.sin_addr);
  c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&a, sizeof a) != 0) {
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
    return -1;
  }
  int one = 1;
  setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
  epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
  c->have = 0;
  return 0;
}

static int send_request(Worker *w, Conn *c) {
  build_request(w, c);
  c->have = 0;
  c->sent_us = now_us();
  ssize_t n = write(c->fd, c->req, c->req_len); /* small: the socket buffer takes it whole */
  return n == (ssize_t)c->req_len ? 0 : -1;
}

/* 1: a whole response is in c->buf (status in *status); 0: need more bytes; -1: malformed. */
static int response_complete(Conn *c, int *status) {
  c->buf[c->have] = 0;
  char *end = memmem(c->buf, c->have, "\r\n\r\n", 4);
  if (!end) return c->have >= BUF_SIZE - 1 ? -1 : 0;
  if (c->have < 12 || memcmp(c->buf, "HTTP/1.1 ", 9) != 0) return -1;
  *status = atoi(c->buf + 9);
  long len = -1;
  for (char *p = c->buf; p < end; p++) {
    if ((*p == 'C' || *p == 'c') && strncasecmp(p, "content-length:", 15) == 0) {
      len = strtol(p + 15, NULL, 10);
      break;
    }
  }
  if (len < 0) return -1;
  size_t total = (size_t)(end + 4 - c->buf) + (size_t)len;
  if (total >= BUF_SIZE) return -1;
  return c->have >= total ? 1 : 0;
}

static void reconnect(Worker *w, int ep, Conn *c) {
  if (c->fd >= 0) close(c->fd); /* also drops it from the epoll set */
  if (open_conn(ep, c) != 0 || send_request(w, c) != 0) w->err_connect++;
}

static void *run(void *arg) {
  Worker *w = arg;
  int ep = epoll_create1(EPOLL_CLOEXEC);
  Conn *conns = calloc((size_t)w->conns, sizeof(Conn));
  for (int i = 0; i < w->conns; i++) {
    if (open_conn(ep, &conns[i]) != 0 || send_request(w, &conns[i]) != 0) w->err_connect++;
  }
  uint64_t end = now_us() + (uint64_t)g_seconds * 1000000u;
  struct epoll_event evs[64];
  for (;;) {
    uint64_t t = now_us();
    if (t >= end) break;
    int n = epoll_wait(ep, evs, 64, 100);
    for (int i = 0; i < n; i++) {
      Conn *c = evs[i].data.ptr;
      ssize_t r = read(c->fd, c->buf + c->have, BUF_SIZE - 1 - c->have);
      if (r <= 0) {
        if (r < 0 && errno == EAGAIN) continue;
        w->err_read++;
        reconnect(w, ep, c);
        continue;
      }
      c->have += (size_t)r;
      int status = 0, done = response_complete(c, &status);
      if (done == 0) continue;
      if (done < 0) {
        w->err_read++;
        reconnect(w, ep, c);
        continue;
      }
      uint64_t got = now_us();
      w->requests++;
      w->hist[bucket_of(got - c->sent_us)]++;
      if (status != 200) w->err_status++;
      if (got < end && send_request(w, c) != 0) {
        w->err_write++;
        reconnect(w, ep, c);
      }
    }
    /* A connection silent for 5 s is a timeout: count it and start over on a new one. */
    uint64_t t2 = now_us();
    for (int i = 0; i < w->conns; i++) {
      if (conns[i].fd >= 0 && t2 - conns[i].sent_us > TIMEOUT_US) {
        w->err_timeout++;
        reconnect(w, ep, &conns[i]);
      }
    }
  }
  for (int i = 0; i < w->conns; i++)
    if (conns[i].fd >= 0) close(conns[i].fd);
  free(conns);
  close(ep);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 10) {
    fprintf(stderr, "usage: %s HOST PORT THREADS CONNECTIONS SECONDS TABLE RECORDS READ_PCT uniform|zipf\n", argv[0]);
    return 2;
  }
  g_host = argv[1];
  g_port = atoi(argv[2]);
  int threads = atoi(argv[3]), connections = atoi(argv[4]);
  g_seconds = atoi(argv[5]);
  g_table = argv[6];
  g_records = atoi(argv[7]);
  g_read_pct = atoi(argv[8]);
  g_zipf = strcmp(argv[9], "zipf") == 0;
  if (threads < 1 || connections < threads || g_seconds < 1 || g_records < 1 || strlen(g_table) > 200 ||
      (!g_zipf && strcmp(argv[9], "uniform") != 0)) {
    fprintf(stderr, "ycsb_client: bad arguments\n");
    return 2;
  }
  if (g_zipf) { /* YCSB's zipfian constant, as workload.lua */
    g_cdf = malloc(sizeof(double) * (size_t)g_records);
    double sum = 0;
    for (int i = 1; i <= g_records; i++) g_cdf[i - 1] = (sum += 1.0 / pow(i, 0.99));
    for (int i = 0; i < g_records; i++) g_cdf[i] /= sum;
  }
  Worker *ws = calloc((size_t)threads, sizeof(Worker));
  uint64_t start = now_us();
  for (int i = 0; i < threads; i++) {
    ws[i].index = i;
    ws[i].conns = connections / threads + (i < connections % threads);
    ws[i].rng = (start ^ ((uint64_t)getpid() << 20)) * 0x9E3779B97F4A7C15ull + (uint64_t)i * 7919 + 1;
    pthread_create(&ws[i].thread, NULL, run, &ws[i]);
  }
  Worker total = {0};
  for (int i = 0; i < threads; i++) {
    pthread_join(ws[i].thread, NULL);
    total.requests += ws[i].requests;
    total.err_connect += ws[i].err_connect;
    total.err_read += ws[i].err_read;
    total.err_write += ws[i].err_write;
    total.err_status += ws[i].err_status;
    total.err_timeout += ws[i].err_timeout;
    for (int b = 0; b < HIST_BUCKETS; b++) total.hist[b] += ws[i].hist[b];
  }
  uint64_t duration = now_us() - start;
  uint64_t p50 = 0, p99 = 0, max = 0, seen = 0;
  double sum = 0;
  for (int b = 0; b < HIST_BUCKETS; b++) {
    if (!total.hist[b]) continue;
    uint64_t v = bucket_value(b);
    sum += (double)v * (double)total.hist[b];
    max = v;
    seen += total.hist[b];
    if (!p50 && seen * 2 >= total.requests) p50 = v;
    if (!p99 && seen * 100 >= total.requests * 99) p99 = v;
  }
  printf("RESULT {\"requests\":%llu,\"duration_us\":%llu,\"p50_us\":%llu,\"p99_us\":%llu,\"mean_us\":%.1f,\"max_us\":%llu,"
         "\"err_connect\":%llu,\"err_read\":%llu,\"err_write\":%llu,\"err_status\":%llu,\"err_timeout\":%llu}\n",
         (unsigned long long)total.requests, (unsigned long long)duration, (unsigned long long)p50,
         (unsigned long long)p99, total.requests ? sum / (double)total.requests : 0.0, (unsigned long long)max,
         (unsigned long long)total.err_connect, (unsigned long long)total.err_read, (unsigned long long)total.err_write,
         (unsigned long long)total.err_status, (unsigned long long)total.err_timeout);
  free(ws);
  free(g_cdf);
  return 0;
}
