/* A write-recording shim for power-cut tests (LD_PRELOAD), after SQLite's crash-test VFS
 * (src/test6.c): every write, truncate, sync and unlink of a file under SOTAY_POWERCUT_DIR
 * is appended to the log SOTAY_POWERCUT_LOG before (writes) or after (syncs) it happens.
 * The test then rebuilds what a disk would hold after a power cut at any point of the log:
 * what was synced survives, what was not survives only in part, possibly torn.
 *
 * It works below any SQLite build (the stdlib's, SQLCipher's) because SQLite reaches the
 * disk through libc's write/pwrite/fsync, which LD_PRELOAD interposes. -shm files (mapped
 * shared memory) are not recorded: SQLite rebuilds them from the WAL.
 *
 * Record: type (1 byte: W write, T truncate, S sync, U unlink), path length (u16), path,
 * offset (i64), length (u32), data. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_ftruncate)(int, off_t);
static int (*real_ftruncate64)(int, off_t);
static int (*real_unlink)(const char *);
static int (*real_close)(int);

static int log_fd = -1;
static const char *watch;
static size_t watch_len;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
#define MAX_FD 4096
static signed char known[MAX_FD]; /* 0 unknown, 1 watched, -1 not */

static void init(void) {
    static int done;
    if (done) return;
    done = 1;
    real_write = dlsym(RTLD_NEXT, "write");
    real_pwrite = dlsym(RTLD_NEXT, "pwrite");
    real_pwrite64 = dlsym(RTLD_NEXT, "pwrite64");
    real_fsync = dlsym(RTLD_NEXT, "fsync");
    real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
    real_ftruncate = dlsym(RTLD_NEXT, "ftruncate");
    real_ftruncate64 = dlsym(RTLD_NEXT, "ftruncate64");
    real_unlink = dlsym(RTLD_NEXT, "unlink");
    real_close = dlsym(RTLD_NEXT, "close");
    const char *log_path = getenv("SOTAY_POWERCUT_LOG");
    watch = getenv("SOTAY_POWERCUT_DIR");
    if (log_path && watch) {
        watch_len = strlen(watch);
        log_fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    }
}

__attribute__((constructor)) static void at_load(void) { init(); }

static int path_of(int fd, char *buf, size_t size) {
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, buf, size - 1);
    if (n < 0) return -1;
    buf[n] = 0;
    return 0;
}

static int watched_path(const char *path) {
    size_t n = strlen(path);
    if (strncmp(path, watch, watch_len) != 0) return 0;
    if (n >= 4 && strcmp(path + n - 4, "-shm") == 0) return 0;
    return 1;
}

static int watched_fd(int fd, char *path, size_t size) {
    if (log_fd < 0 || fd < 0 || fd == log_fd) return 0;
    if (fd < MAX_FD && known[fd] < 0) return 0;
    if (path_of(fd, path, size) != 0) return 0;
    int w = watched_path(path);
    if (fd < MAX_FD) known[fd] = w ? 1 : -1;
    return w;
}

static void record(char type, const char *path, int64_t offset, const void *data,
                   uint32_t len) {
    uint16_t plen = (uint16_t)strlen(path);
    size_t total = 1 + 2 + plen + 8 + 4 + len;
    char *buf = malloc(total);
    if (!buf) return;
    char *p = buf;
    *p++ = type;
    memcpy(p, &plen, 2); p += 2;
    memcpy(p, path, plen); p += plen;
    memcpy(p, &offset, 8); p += 8;
    memcpy(p, &len, 4); p += 4;
    if (len) memcpy(p, data, len);
    pthread_mutex_lock(&lock);
    size_t off = 0;
    while (off < total) {
        ssize_t w = real_write(log_fd, buf + off, total - off);
        if (w <= 0) break;
        off += (size_t)w;
    }
    pthread_mutex_unlock(&lock);
    free(buf);
}

ssize_t pwrite(int fd, const void *data, size_t n, off_t offset) {
    init();
    char path[4096];
    if (watched_fd(fd, path, sizeof path)) record('W', path, offset, data, (uint32_t)n);
    return real_pwrite(fd, data, n, offset);
}

ssize_t pwrite64(int fd, const void *data, size_t n, off_t offset) {
    init();
    char path[4096];
    if (watched_fd(fd, path, sizeof path)) record('W', path, offset, data, (uint32_t)n);
    return real_pwrite64(fd, data, n, offset);
}

ssize_t write(int fd, const void *data, size_t n) {
    init();
    char path[4096];
    if (watched_fd(fd, path, sizeof path)) {
        off_t offset = lseek(fd, 0, SEEK_CUR);
        if (offset >= 0) record('W', path, offset, data, (uint32_t)n);
    }
    return real_write(fd, data, n);
}

static int synced(int fd, int rc) {
    char path[4096];
    if (rc == 0 && watched_fd(fd, path, sizeof path)) record('S', path, 0, NULL, 0);
    return rc;
}

int fsync(int fd) { init(); return synced(fd, real_fsync(fd)); }
int fdatasync(int fd) { init(); return synced(fd, real_fdatasync(fd)); }

int ftruncate(int fd, off_t size) {
    init();
    char path[4096];
    if (watched_fd(fd, path, sizeof path)) record('T', path, size, NULL, 0);
    return real_ftruncate(fd, size);
}

int ftruncate64(int fd, off_t size) {
    init();
    char path[4096];
    if (watched_fd(fd, path, sizeof path)) record('T', path, size, NULL, 0);
    return real_ftruncate64(fd, size);
}

int unlink(const char *path) {
    init();
    int rc = real_unlink(path);
    if (rc == 0 && log_fd >= 0) {
        char full[4096];
        if (path[0] != '/') {
            char cwd[2048];
            if (getcwd(cwd, sizeof cwd)) snprintf(full, sizeof full, "%s/%s", cwd, path);
            else snprintf(full, sizeof full, "%s", path);
        } else {
            snprintf(full, sizeof full, "%s", path);
        }
        if (watched_path(full)) record('U', full, 0, NULL, 0);
    }
    return rc;
}

int close(int fd) {
    init();
    if (fd >= 0 && fd < MAX_FD) known[fd] = 0;
    return real_close(fd);
}
