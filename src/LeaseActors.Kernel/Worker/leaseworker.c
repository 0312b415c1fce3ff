/*
 * leaseworker: the real-kernel half of LeaseActors' conformance oracle (src/LeaseActors.Kernel).
 *
 * The .NET side (RealKernelExecutor) compiles a topology into the line script read on stdin, and reads the
 * events this program writes on stdout. Everything that has to be in C is here, and nothing else:
 *
 *  - fork: every topology process is a real process, and a `fork` step forks the running one (the child shares
 *    every open file description); .NET cannot fork safely.
 *  - signal handlers: a handler must run *inside* the interrupted process, see si_code/si_fd/si_band
 *    (SA_SIGINFO), be installed with or without SA_RESTART, and run its steps (fcntl F_SETLEASE F_UNLCK, ...)
 *    while the main program is blocked in open(); .NET's PosixSignalRegistration gives none of this.
 *  - the syscalls themselves (open, fcntl, sendmsg/recvmsg with SCM_RIGHTS, truncate, mmap, kill, setpgid, ...),
 *    issued by the process the topology names, with the timestamps taken next to the call.
 *  - the hub: this program's first process forks the topology's processes, keeps no reference to any of their
 *    files or sockets, answers `wait-for` between them, notices exits (pidfd) and reaps statuses (subreaper).
 *
 * Files, sysctls, the temp directory, scheduling the run and judging it stay in .NET.
 * The program is small on purpose; it has no notion of leases beyond issuing the calls.
 *
 * Script (one item per line, tokens separated by single spaces, strings never contain spaces):
 *   N nproc nslots nsteps
 *   P idx top(0|1) uid                       a process; top=1: started by the hub, 0: made by a fork step
 *   A idx signo kind(D|I|H) restart takes_us first count   initial action of a signal (H: a handler's steps)
 *   M idx signo                              initially blocked signal
 *   C idx first count                        the main program
 *   O procA procB slot                       a socket pair, installed as `slot` in both processes
 *   S id op label(0|1) ni i1..ini ns s1..sns  a step
 *   G                                        end of script: start
 * Events (stdout): B proc pid t | E proc step t | R proc step t value errno [values] | L proc step t |
 *   G proc t signo code fd band | X proc t | Z pid status | T t | D     (t: CLOCK_MONOTONIC microseconds)
 * After G the hub reads commands: K (kill every process and finish); end of input does the same.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXP 64
#define MAXSLOTS 512
#define MAXSTEPS 8192
#define MAXARGS 24
#define FDBASE 200

enum op {
    OP_OPEN, OP_CLOSE, OP_DUP, OP_STAT, OP_TRUNCATE, OP_FTRUNCATE, OP_WRITE, OP_UNLINK, OP_RENAME, OP_LINK,
    OP_CHMOD, OP_CHOWN, OP_UTIMENSAT, OP_MMAP, OP_MUNMAP, OP_SETLEASE, OP_GETLEASE, OP_SETOWN, OP_SETOWNEX,
    OP_GETOWN, OP_GETOWNEX, OP_SETSIG, OP_GETSIG, OP_SETFD, OP_FORK, OP_EXIT, OP_KILL, OP_SETPGID, OP_SETUID,
    OP_SETFSUID, OP_CAPLEASE, OP_SOCKETPAIR, OP_SENDMSG, OP_RECVMSG, OP_SIGACTION, OP_SIGPROCMASK, OP_SLEEP,
    OP_LABEL, OP_WAITFOR, OP_FAULT, OP_COUNT
};
static const char *op_names[OP_COUNT] = {
    "open", "close", "dup", "stat", "truncate", "ftruncate", "write", "unlink", "rename", "link",
    "chmod", "chown", "utimensat", "mmap", "munmap", "setlease", "getlease", "setown", "setownex",
    "getown", "getownex", "setsig", "getsig", "setfd", "fork", "exit", "kill", "setpgid", "setuid",
    "setfsuid", "caplease", "socketpair", "sendmsg", "recvmsg", "sigaction", "sigprocmask", "sleep",
    "label", "waitfor", "fault"
};

struct step { int op; int labelled; int ni; long long a[MAXARGS]; int ns; char *s[2]; };
struct action { char kind; int restart; long long takes_us; int first, count; };

static struct step steps[MAXSTEPS];
static int nproc, nslots, nsteps;
static int top[MAXP], uids[MAXP], prog_first[MAXP], prog_count[MAXP];
static struct action init_act[MAXP][65];
static sigset_t init_mask[MAXP];
static int sock_a[MAXP], sock_b[MAXP], sock_slot[MAXP], sock_fd[MAXP][2], nsock;
static int ctl_r[MAXP], ctl_w[MAXP];
static int ev_w = -1;
static volatile int *pids;          /* shared between every process: pid of each topology process */

/* Per process (copied by fork, as the kernel copies the fd table). */
static int me = -1;
static int slots[MAXSLOTS];
static void *maps[MAXSLOTS];
static size_t map_len[MAXSLOTS];
static struct action act[65];
static char big[65536];

static long long now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* Async-signal-safe formatting: events are written from signal handlers too. */
struct buf { char b[1024]; int n; };
static void put_s(struct buf *b, const char *s) { while (*s && b->n < 1000) b->b[b->n++] = *s++; }
static void put_i(struct buf *b, long long v)
{
    char t[24]; int k = 0; unsigned long long u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
    if (b->n < 1000) b->b[b->n++] = ' ';
    if (v < 0 && b->n < 1000) b->b[b->n++] = '-';
    do { t[k++] = (char)('0' + u % 10); u /= 10; } while (u);
    while (k && b->n < 1000) b->b[b->n++] = t[--k];
}
static void emit(struct buf *b)
{
    b->b[b->n++] = '\n';
    ssize_t off = 0;
    while (off < b->n) {   /* one write of < PIPE_BUF bytes: atomic with respect to other processes */
        ssize_t w = write(ev_w, b->b + off, b->n - off);
        if (w < 0) { if (errno == EINTR) continue; return; }
        off += w;
    }
}

static void sleep_until(long long until_us)
{
    struct timespec ts = { until_us / 1000000LL, (until_us % 1000000LL) * 1000 };
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) { }
}

static void wait_byte(int idx)
{
    char c;
    for (;;) {
        ssize_t r = read(ctl_r[idx], &c, 1);
        if (r == 1) return;
        if (r == 0) _exit(111);
        if (errno != EINTR) _exit(112);
    }
}

static void run_list(int first, int count);

static void on_signal(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    int saved = errno;
    struct buf b = { .n = 0 };
    put_s(&b, "G"); put_i(&b, me); put_i(&b, now_us()); put_i(&b, sig); put_i(&b, si->si_code);
    put_i(&b, si->si_fd); put_i(&b, si->si_band);
    emit(&b);
    struct action *a = &act[sig];
    if (a->takes_us > 0) sleep_until(now_us() + a->takes_us);
    run_list(a->first, a->count);
    errno = saved;
}

static int install_action(int sig, struct action *a)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    /* One handler at a time, as the emulator runs them: every signal is blocked while a handler runs. */
    sigfillset(&sa.sa_mask);
    if (a->kind == 'H') {
        sa.sa_sigaction = on_signal;
        sa.sa_flags = SA_SIGINFO | (a->restart ? SA_RESTART : 0);
    } else {
        sa.sa_handler = a->kind == 'I' ? SIG_IGN : SIG_DFL;
    }
    if (sigaction(sig, &sa, NULL) < 0) return -1;
    act[sig] = *a;
    return 0;
}

static int fd_of(long long slot) { return slot >= 0 && slot < nslots ? slots[slot] : -1; }
static int pid_of(long long idx) { return idx >= 0 && idx < nproc ? pids[idx] : 0; }

/* Runs one step; call steps report E and R, labelled non-call steps L. */
static void run_step(int id)
{
    struct step *s = &steps[id];
    long long *a = s->a;
    long long t0 = now_us(), val = 0, extra[MAXARGS]; int nextra = 0, err = 0;
    struct buf b = { .n = 0 };
    int call = s->op != OP_SLEEP && s->op != OP_LABEL && s->op != OP_WAITFOR && s->op != OP_FAULT;
    if (call) { put_s(&b, "E"); put_i(&b, me); put_i(&b, id); put_i(&b, t0); emit(&b); }
    errno = 0;
#define SYS(expr) do { val = (expr); if (val < 0) { err = errno; val = -1; } } while (0)
    switch (s->op) {
    case OP_OPEN: SYS(open(s->s[0], (int)a[0], 0666)); if (val >= 0 && a[1] >= 0) slots[a[1]] = (int)val; break;
    case OP_CLOSE: SYS(close(fd_of(a[0]))); break;
    case OP_DUP: SYS(dup(fd_of(a[0]))); if (val >= 0 && a[1] >= 0) slots[a[1]] = (int)val; break;
    case OP_STAT: { struct stat st; SYS(stat(s->s[0], &st)); if (val == 0) val = st.st_size; break; }
    case OP_TRUNCATE: SYS(truncate(s->s[0], a[0])); break;
    case OP_FTRUNCATE: SYS(ftruncate(fd_of(a[0]), a[1])); break;
    case OP_WRITE: { size_t n = (size_t)a[1] > sizeof big ? sizeof big : (size_t)a[1]; SYS(write(fd_of(a[0]), big, n)); break; }
    case OP_UNLINK: SYS(unlink(s->s[0])); break;
    case OP_RENAME: SYS(rename(s->s[0], s->s[1])); break;
    case OP_LINK: SYS(link(s->s[0], s->s[1])); break;
    case OP_CHMOD: SYS(chmod(s->s[0], (mode_t)a[0])); break;
    case OP_CHOWN: SYS(chown(s->s[0], (uid_t)a[0], (gid_t)-1)); break;
    case OP_UTIMENSAT: SYS(utimensat(AT_FDCWD, s->s[0], NULL, 0)); break;
    case OP_MMAP: {
        int fd = fd_of(a[0]); struct stat st; size_t len = 4096;
        if (fd >= 0 && fstat(fd, &st) == 0 && st.st_size > 0) len = (size_t)st.st_size;
        void *p = mmap(NULL, len, PROT_READ, a[1] ? MAP_SHARED : MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) { err = errno; val = -1; } else { val = 0; if (a[2] >= 0) { maps[a[2]] = p; map_len[a[2]] = len; } }
        break;
    }
    case OP_MUNMAP: if (a[0] >= 0 && maps[a[0]]) { SYS(munmap(maps[a[0]], map_len[a[0]])); maps[a[0]] = NULL; } else { val = -1; err = EINVAL; } break;
    case OP_SETLEASE: SYS(fcntl(fd_of(a[0]), F_SETLEASE, (int)a[1])); break;
    case OP_GETLEASE: SYS(fcntl(fd_of(a[0]), F_GETLEASE)); break;
    case OP_SETOWN: { int p = a[1] < 0 ? 0 : pid_of(a[1]); SYS(fcntl(fd_of(a[0]), F_SETOWN, a[2] ? -p : p)); break; }
    case OP_SETOWNEX: { struct f_owner_ex o = { (int)a[1], a[2] < 0 ? 0 : pid_of(a[2]) }; SYS(fcntl(fd_of(a[0]), F_SETOWN_EX, &o)); break; }
    case OP_GETOWN: SYS(fcntl(fd_of(a[0]), F_GETOWN)); break;
    case OP_GETOWNEX: { struct f_owner_ex o = { 0, 0 }; SYS(fcntl(fd_of(a[0]), F_GETOWN_EX, &o)); if (val >= 0) { val = o.type; extra[0] = o.type; extra[1] = o.pid; nextra = 2; } break; }
    case OP_SETSIG: SYS(fcntl(fd_of(a[0]), F_SETSIG, (int)a[1])); break;
    case OP_GETSIG: SYS(fcntl(fd_of(a[0]), F_GETSIG)); break;
    case OP_SETFD: SYS(fcntl(fd_of(a[0]), F_SETFD, a[1] ? FD_CLOEXEC : 0)); break;
    case OP_FORK: {
        pid_t p = fork();
        if (p == 0) {
            me = (int)a[0];
            pids[me] = getpid();
            struct buf c = { .n = 0 };
            put_s(&c, "B"); put_i(&c, me); put_i(&c, getpid()); put_i(&c, now_us()); emit(&c);
            run_list((int)a[1], (int)a[2]);
            _exit(0);
        }
        SYS(p);
        break;
    }
    case OP_EXIT: _exit((int)a[0]);
    case OP_KILL: { int p = pid_of(a[0]); SYS(kill(a[1] ? -p : p, (int)a[2])); break; }
    case OP_SETPGID: SYS(setpgid(0, a[0] < 0 ? 0 : pid_of(a[0]))); break;
    case OP_SETUID: SYS(setuid((uid_t)a[0])); break;
    case OP_SETFSUID: setfsuid((uid_t)a[0]); val = 0; break;   /* returns the previous fsuid, never fails visibly */
    case OP_CAPLEASE: {
        struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
        struct __user_cap_data_struct d[2];
        SYS(syscall(SYS_capget, &h, d));
        if (val == 0) {
            if (a[0]) d[0].effective |= 1u << CAP_LEASE; else d[0].effective &= ~(1u << CAP_LEASE);
            SYS(syscall(SYS_capset, &h, d));
        }
        break;
    }
    case OP_SOCKETPAIR: { int sv[2]; SYS(socketpair(AF_UNIX, SOCK_STREAM, 0, sv)); if (val == 0) { if (a[0] >= 0) slots[a[0]] = sv[0]; if (a[1] >= 0) slots[a[1]] = sv[1]; extra[0] = sv[0]; extra[1] = sv[1]; nextra = 2; } break; }
    case OP_SENDMSG: {
        int n = (int)a[1]; char byte = 'x';
        union { char buf[CMSG_SPACE(sizeof(int) * MAXARGS)]; struct cmsghdr align; } u;
        struct iovec iov = { &byte, 1 };
        struct msghdr m; memset(&m, 0, sizeof m); memset(&u, 0, sizeof u);
        m.msg_iov = &iov; m.msg_iovlen = 1;
        if (n > 0) {
            m.msg_control = u.buf; m.msg_controllen = CMSG_SPACE(sizeof(int) * n);
            struct cmsghdr *c = CMSG_FIRSTHDR(&m);
            c->cmsg_level = SOL_SOCKET; c->cmsg_type = SCM_RIGHTS; c->cmsg_len = CMSG_LEN(sizeof(int) * n);
            int *fds = (int *)CMSG_DATA(c);
            for (int i = 0; i < n; i++) fds[i] = fd_of(a[2 + i]);
        }
        SYS(sendmsg(fd_of(a[0]), &m, MSG_NOSIGNAL));
        break;
    }
    case OP_RECVMSG: {
        int n = (int)a[1]; char byte;
        union { char buf[CMSG_SPACE(sizeof(int) * MAXARGS)]; struct cmsghdr align; } u;
        struct iovec iov = { &byte, 1 };
        struct msghdr m; memset(&m, 0, sizeof m);
        m.msg_iov = &iov; m.msg_iovlen = 1; m.msg_control = u.buf; m.msg_controllen = sizeof u.buf;
        SYS(recvmsg(fd_of(a[0]), &m, 0));
        if (val > 0) {
            int k = 0;
            for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
                if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
                    int *fds = (int *)CMSG_DATA(c); int cnt = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
                    for (int i = 0; i < cnt && k < MAXARGS - 2; i++, k++) {
                        if (k < n && a[2 + k] >= 0) slots[a[2 + k]] = fds[i];
                        extra[nextra++] = fds[i];
                    }
                }
            val = 0;
        } else if (val == 0) { val = -1; err = EPIPE; }
        break;
    }
    case OP_SIGACTION: {
        struct action na = { (char)a[1], (int)a[2], a[3], (int)a[4], (int)a[5] };
        SYS(install_action((int)a[0], &na));
        break;
    }
    case OP_SIGPROCMASK: {
        sigset_t set; sigemptyset(&set);
        for (int i = 0; i < a[1]; i++) sigaddset(&set, (int)a[2 + i]);
        int how = a[0] == 0 ? SIG_BLOCK : a[0] == 1 ? SIG_UNBLOCK : SIG_SETMASK;
        SYS(sigprocmask(how, &set, NULL));
        break;
    }
    case OP_SLEEP: sleep_until(t0 + a[0]); break;
    case OP_LABEL: break;
    case OP_WAITFOR: {
        struct buf w = { .n = 0 };
        put_s(&w, "W"); put_i(&w, me); put_i(&w, a[0]); put_i(&w, a[1]); emit(&w);
        wait_byte(me);
        break;
    }
    case OP_FAULT: {
        signal(SIGSEGV, SIG_DFL);
        sigset_t set; sigemptyset(&set); sigaddset(&set, SIGSEGV); sigprocmask(SIG_UNBLOCK, &set, NULL);
        kill(getpid(), SIGSEGV);
        _exit(139);
    }
    }
#undef SYS
    b.n = 0;
    if (call) {
        put_s(&b, "R"); put_i(&b, me); put_i(&b, id); put_i(&b, now_us()); put_i(&b, val); put_i(&b, err);
        for (int i = 0; i < nextra; i++) put_i(&b, extra[i]);
        emit(&b);
    } else if (s->labelled) {
        put_s(&b, "L"); put_i(&b, me); put_i(&b, id); put_i(&b, now_us()); emit(&b);
    }
}

static void run_list(int first, int count)
{
    for (int i = 0; i < count; i++) run_step(first + i);
}

static void child_main(int idx)
{
    me = idx;
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    signal(SIGPIPE, SIG_DFL);
    int devnull = open("/dev/null", O_RDWR);
    dup2(devnull, 0); dup2(devnull, 1); close(devnull);
    struct rlimit nocore = { 0, 0 };
    setrlimit(RLIMIT_CORE, &nocore);
    for (int k = 0; k < nsock; k++) {
        for (int e = 0; e < 2; e++) {
            int owner = e == 0 ? sock_a[k] : sock_b[k];
            if (owner == idx) slots[sock_slot[k]] = dup(sock_fd[k][e]);
        }
    }
    for (int k = 0; k < nsock; k++) { close(sock_fd[k][0]); close(sock_fd[k][1]); }
    for (int k = 0; k < nproc; k++) close(ctl_w[k]);
    for (int sig = 1; sig <= 64; sig++)
        if (init_act[idx][sig].kind) install_action(sig, &init_act[idx][sig]);
    if (uids[idx] != 0 && setuid((uid_t)uids[idx]) < 0) _exit(113);
    pids[idx] = getpid();
    struct buf b = { .n = 0 };
    put_s(&b, "B"); put_i(&b, idx); put_i(&b, getpid()); put_i(&b, now_us()); emit(&b);
    wait_byte(idx);  /* the hub starts every process together, in file order */
    sigprocmask(SIG_SETMASK, &init_mask[idx], NULL);
    run_list(prog_first[idx], prog_count[idx]);
    _exit(0);
}

/* ---- the hub ---- */

static int reached[MAXP][MAXSTEPS / 8 + 1];
static int exited[MAXP], pidfd[MAXP], started[MAXP];
struct wait { int who, target; long long step; };
static struct wait waits[MAXP * 4];
static int nwaits;

static int relocate(int fd) { int n = fcntl(fd, F_DUPFD, FDBASE); close(fd); return n; }

static int read_script(FILE *in)
{
    static char line[1 << 16];
    while (fgets(line, sizeof line, in)) {
        size_t L = strlen(line);
        if (L && line[L - 1] == '\n') line[--L] = 0;
        char *save = NULL, *tok = strtok_r(line, " ", &save);
        if (!tok) continue;
#define NEXT() strtoll(strtok_r(NULL, " ", &save), NULL, 10)
        switch (tok[0]) {
        case 'N': nproc = (int)NEXT(); nslots = (int)NEXT(); nsteps = (int)NEXT();
            if (nproc > MAXP || nslots > MAXSLOTS || nsteps > MAXSTEPS) { fprintf(stderr, "leaseworker: topology too large\n"); return -1; }
            break;
        case 'P': { int i = (int)NEXT(); top[i] = (int)NEXT(); uids[i] = (int)NEXT(); sigemptyset(&init_mask[i]); break; }
        case 'A': {
            int i = (int)NEXT(), sig = (int)NEXT(); char *k = strtok_r(NULL, " ", &save);
            struct action *x = &init_act[i][sig];
            x->kind = k[0]; x->restart = (int)NEXT(); x->takes_us = NEXT(); x->first = (int)NEXT(); x->count = (int)NEXT();
            break;
        }
        case 'M': { int i = (int)NEXT(); sigaddset(&init_mask[i], (int)NEXT()); break; }
        case 'C': { int i = (int)NEXT(); prog_first[i] = (int)NEXT(); prog_count[i] = (int)NEXT(); break; }
        case 'O': sock_a[nsock] = (int)NEXT(); sock_b[nsock] = (int)NEXT(); sock_slot[nsock] = (int)NEXT(); nsock++; break;
        case 'S': {
            int id = (int)NEXT(); char *name = strtok_r(NULL, " ", &save);
            struct step *s = &steps[id];
            s->op = -1;
            for (int o = 0; o < OP_COUNT; o++) if (strcmp(op_names[o], name) == 0) s->op = o;
            if (s->op < 0) { fprintf(stderr, "leaseworker: unknown op %s\n", name); return -1; }
            s->labelled = (int)NEXT();
            s->ni = (int)NEXT();
            for (int k = 0; k < s->ni && k < MAXARGS; k++) s->a[k] = NEXT();
            s->ns = (int)NEXT();
            for (int k = 0; k < s->ns && k < 2; k++) s->s[k] = strdup(strtok_r(NULL, " ", &save));
            break;
        }
        case 'G': return 0;
        }
#undef NEXT
    }
    return -1;
}

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#include <stdarg.h>
static void out(const char *fmt, ...)
{
    va_list ap; va_start(ap, fmt); vprintf(fmt, ap); va_end(ap);
}

static void check_waits(void)
{
    for (int i = 0; i < nwaits; i++) {
        struct wait *w = &waits[i];
        int ok = w->step < 0 ? exited[w->target] : (reached[w->target][w->step / 8] >> (w->step % 8)) & 1;
        if (ok) {
            char c = 'g';
            if (write(ctl_w[w->who], &c, 1) < 0) { }
            waits[i--] = waits[--nwaits];
        }
    }
}

static void reap(int block)
{
    int status; pid_t p;
    while ((p = waitpid(-1, &status, block ? 0 : WNOHANG)) > 0) out("Z %d %d\n", (int)p, status);
}

static void kill_all(void)
{
    for (int i = 0; i < nproc; i++) if (pids[i] > 0 && !exited[i]) kill(pids[i], SIGKILL);
}

static void on_line(char *line)
{
    out("%s\n", line);
    char kind = line[0];
    char *save = NULL; strtok_r(line, " ", &save);
#define NEXT() strtoll(strtok_r(NULL, " ", &save), NULL, 10)
    if (kind == 'B') {
        int i = (int)NEXT(); int pid = (int)NEXT();
        pids[i] = pid; started[i] = 1;
        if (pidfd[i] < 0) pidfd[i] = (int)syscall(SYS_pidfd_open, pid, 0);
        if (pidfd[i] < 0) { exited[i] = 1; out("X %d %lld\n", i, now_us()); }   /* gone and reaped already */
    } else if (kind == 'R' || kind == 'L') {
        int i = (int)NEXT(); long long s = NEXT();
        reached[i][s / 8] |= 1 << (s % 8);
    } else if (kind == 'W') {
        int i = (int)NEXT(); int t = (int)NEXT(); long long s = NEXT();
        waits[nwaits++] = (struct wait){ i, t, s };
    }
#undef NEXT
    check_waits();
}

int main(int argc, char **argv)
{
    (void)argc; (void)argv;
    if (read_script(stdin) < 0) { fprintf(stderr, "leaseworker: bad script\n"); return 2; }
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    memset(big, 'x', sizeof big);
    for (int i = 0; i < MAXSLOTS; i++) slots[i] = -1;
    pids = mmap(NULL, sizeof(int) * MAXP, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (pids == MAP_FAILED) { perror("leaseworker: mmap"); return 3; }
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    signal(SIGPIPE, SIG_IGN);
    int ev[2];
    if (pipe(ev) < 0) { perror("leaseworker: pipe"); return 3; }
    int ev_r = relocate(ev[0]); ev_w = relocate(ev[1]);
    for (int i = 0; i < nproc; i++) {
        int c[2];
        if (pipe(c) < 0) { perror("leaseworker: pipe"); return 3; }
        ctl_r[i] = relocate(c[0]); ctl_w[i] = relocate(c[1]);
        pidfd[i] = -1;
    }
    for (int k = 0; k < nsock; k++) {
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) { perror("leaseworker: socketpair"); return 3; }
        sock_fd[k][0] = relocate(sv[0]); sock_fd[k][1] = relocate(sv[1]);
    }
    fflush(stdout);
    for (int i = 0; i < nproc; i++) {
        if (!top[i]) continue;
        pid_t p = fork();
        if (p < 0) { perror("leaseworker: fork"); kill_all(); return 3; }
        if (p == 0) { close(ev_r); child_main(i); }
        pids[i] = p;
        pidfd[i] = (int)syscall(SYS_pidfd_open, p, 0);
    }
    /* The hub keeps no reference to anything the processes use: sockets, the event pipe's write end. */
    for (int k = 0; k < nsock; k++) { close(sock_fd[k][0]); close(sock_fd[k][1]); }
    for (int i = 0; i < nproc; i++) close(ctl_r[i]);
    close(ev_w);

    static char acc[1 << 16]; size_t accn = 0;
    int tops = 0, begun = 0, go = 0, killing = 0, stdin_open = 1;
    for (int i = 0; i < nproc; i++) tops += top[i];
    for (;;) {
        struct pollfd pf[MAXP + 2]; int map[MAXP + 2]; int n = 0;
        pf[n].fd = ev_r; pf[n].events = POLLIN; map[n++] = -1;
        if (stdin_open) { pf[n].fd = 0; pf[n].events = POLLIN; map[n++] = -2; }
        for (int i = 0; i < nproc; i++) if (pidfd[i] >= 0 && !exited[i]) { pf[n].fd = pidfd[i]; pf[n].events = POLLIN; map[n++] = i; }
        fflush(stdout);
        if (poll(pf, n, 200) < 0 && errno != EINTR) break;
        int done = 0;
        for (int k = 0; k < n; k++) {
            if (!pf[k].revents) continue;
            if (map[k] == -1) {
                ssize_t r = read(ev_r, acc + accn, sizeof acc - accn - 1);
                if (r <= 0) { done = 1; continue; }
                accn += (size_t)r;
                char *start = acc, *nl;
                while ((nl = memchr(start, '\n', acc + accn - start))) {
                    *nl = 0;
                    if (start[0] == 'B') begun++;
                    on_line(start);
                    start = nl + 1;
                }
                accn = (size_t)(acc + accn - start);
                memmove(acc, start, accn);
            } else if (map[k] == -2) {
                char c[64]; ssize_t r = read(0, c, sizeof c);
                if (r <= 0) stdin_open = 0;
                if (r <= 0 || memchr(c, 'K', (size_t)r)) { killing = 1; kill_all(); }
            } else {
                int i = map[k];
                /* Reap first, as a shell would: until then the exited process is a zombie whose pid still
                   answers F_GETOWN. Only the hub's own children (and orphans it inherited) can be reaped here. */
                long long at = now_us();
                int status;
                if (waitpid(pids[i], &status, WNOHANG) == pids[i]) out("Z %d %d\n", pids[i], status);
                exited[i] = 1;
                out("X %d %lld\n", i, at);
                close(pidfd[i]); pidfd[i] = -1;
                check_waits();
            }
        }
        if (!go && begun >= tops) {
            go = 1;
            out("T %lld\n", now_us());
            for (int i = 0; i < nproc; i++) if (top[i]) { char c = 'g'; if (write(ctl_w[i], &c, 1) < 0) { } }
        }
        if (killing) kill_all();
        reap(0);
        if (done) break;
    }
    /* Every process has closed the event pipe, so every one has exited: report the exits not seen yet. */
    for (int i = 0; i < nproc; i++) {
        if (pidfd[i] < 0 || exited[i]) continue;
        struct pollfd pf = { pidfd[i], POLLIN, 0 };
        poll(&pf, 1, 1000);
        exited[i] = 1;
        out("X %d %lld\n", i, now_us());
    }
    reap(1);
    out("D\n");
    fflush(stdout);
    return 0;
}
