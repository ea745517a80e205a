/*
 * flb-harness: loads a Fluent Bit Go output plugin (.so) and drives it
 * exactly as Fluent Bit v5's Go proxy does (see
 * ../shared/docs/integration-facts.md): dlopen(RTLD_LAZY), optional
 * FLBPluginPreRegister, FLBPluginRegister with the real definition struct,
 * one plugin struct per .so whose o_ins/context change per instance before
 * each FLBPluginInit, flushes with chunk bytes in a buffer of exactly their
 * size, FLBPluginExitCtx per instance and FLBPluginUnregister.
 *
 * Usage: flb-harness PLUGIN.so < commands   (build: cc -O2 -o flb-harness flb-harness.c -ldl -lpthread)
 * Commands, one per line; each prints one result line:
 *   register
 *   init KEY=VALUE...                 -> "init N rc=R" (N counts from 0)
 *   flush N FILE [TAG]                -> "flush rc=R"
 *   flushall N THREADS FILE...        -> "flushall ok=A retry=B error=C"
 *   bench N PASSES FILE...            -> "bench flushes=F rc_ok=A cpu_ns=C wall_ns=W"
 *                                        (files preloaded; CPU time of the flushes only)
 *   exit N                            -> "exit rc=R"
 *   unregister                        -> "unregister"
 *   quit
 * Properties Fluent Bit consumes itself (match, alias, workers, ...) are
 * never passed to the plugin, as in Fluent Bit.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* flb_plugin_proxy.h */
struct flb_plugin_proxy_def {
    int type;
    int proxy;
    int flags;
    char *name;
    char *description;
    int event_type;
    void *config_map;
};

/* flb_api.h: the Go side only uses the first member. */
struct flb_api {
    const char *(*output_get_property)(const char *, void *);
    char *(*input_get_property)(char *, void *);
    void *(*output_get_cmt_instance)(void *);
    void *(*input_get_cmt_instance)(void *);
    void (*log_print)(int, const char *, int, const char *, ...);
    int (*input_log_check)(void *, int);
    int (*output_log_check)(void *, int);
};

/* flb_plugin_proxy.h */
struct flb_plugin_proxy_context {
    void *remote_context;
    void *proxy;
};

/* proxy/go/go.h */
struct flbgo_output_plugin {
    char *name;
    void *api;
    void *o_ins;
    struct flb_plugin_proxy_context *context;
    int (*cb_init)();
    int (*cb_flush)(const void *, size_t, const char *);
    int (*cb_flush_ctx)(void *, const void *, size_t, char *);
    int (*cb_exit)();
    int (*cb_exit_ctx)(void *);
};

#define MAX_INSTANCES 16
#define MAX_PROPS 32

/* Stands in for struct flb_output_instance: the properties of one [OUTPUT]. */
struct instance {
    int nprops;
    char *keys[MAX_PROPS];
    char *values[MAX_PROPS];
    struct flb_plugin_proxy_context ctx;
    int initialized;
};

static struct instance instances[MAX_INSTANCES];
static int ninstances;
static struct flb_plugin_proxy_def def;
static struct flbgo_output_plugin plugin;
static struct flb_api api;

/* Keys handled by Fluent Bit's core: never visible to a proxy plugin. */
static const char *core_keys[] = {"name", "match", "match_regex", "alias", "log_level",
    "log_suppress_interval", "retry_limit", "workers", "host", "port", "net.", "tls",
    "storage.", "require_ack_response", "processors", NULL};

static int is_core_key(const char *k) {
    for (int i = 0; core_keys[i]; i++) {
        size_t n = strlen(core_keys[i]);
        if (core_keys[i][n - 1] == '.' || strcmp(core_keys[i], "tls") == 0) {
            if (strncasecmp(k, core_keys[i], n) == 0) return 1;
        } else if (strcasecmp(k, core_keys[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

/* flb_output_get_property: case-insensitive, NULL when unset. */
static const char *output_get_property(const char *key, void *o_ins) {
    struct instance *in = o_ins;
    if (!in || !key) return NULL;
    for (int i = 0; i < in->nprops; i++) {
        if (strcasecmp(in->keys[i], key) == 0 && !is_core_key(key)) return in->values[i];
    }
    return NULL;
}

static char *read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    /* Exactly n bytes (at least 1 for malloc): an over-read is caught by tools. */
    char *buf = malloc(n > 0 ? (size_t) n : 1);
    if (n > 0 && fread(buf, 1, (size_t) n, f) != (size_t) n) {
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *size = (size_t) n;
    return buf;
}

static int do_flush(int idx, const char *path, char *tag) {
    size_t size = 0;
    char *data = read_file(path, &size);
    if (!data) {
        fprintf(stderr, "harness: cannot read %s\n", path);
        return -1;
    }
    int rc;
    if (plugin.cb_flush_ctx) {
        rc = plugin.cb_flush_ctx(instances[idx].ctx.remote_context, data, size, tag);
    } else {
        rc = plugin.cb_flush(data, size, tag);
    }
    free(data);
    return rc;
}

static long long now_ns(clockid_t clk) {
    struct timespec ts;
    clock_gettime(clk, &ts);
    return (long long) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

struct flushall_job {
    int idx;
    char **files;
    int nfiles;
    int next;
    int counts[3];
    pthread_mutex_t mu;
};

static void *flushall_worker(void *arg) {
    struct flushall_job *job = arg;
    for (;;) {
        pthread_mutex_lock(&job->mu);
        int i = job->next++;
        pthread_mutex_unlock(&job->mu);
        if (i >= job->nfiles) return NULL;
        int rc = do_flush(job->idx, job->files[i], "harness");
        pthread_mutex_lock(&job->mu);
        job->counts[(rc >= 0 && rc <= 2) ? rc : 0]++;
        pthread_mutex_unlock(&job->mu);
    }
}

static int split(char *line, char **argv, int max) {
    int n = 0;
    for (char *tok = strtok(line, " \t\r\n"); tok && n < max; tok = strtok(NULL, " \t\r\n")) argv[n++] = tok;
    return n;
}

static int valid_instance(int idx) {
    return idx >= 0 && idx < ninstances && instances[idx].initialized;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s PLUGIN.so < commands\n", argv[0]);
        return 2;
    }
    void *so = dlopen(argv[1], RTLD_LAZY);
    if (!so) {
        fprintf(stderr, "harness: dlopen: %s\n", dlerror());
        return 1;
    }
    int (*pre_register)(int) = dlsym(so, "FLBPluginPreRegister");
    int (*cb_register)(struct flb_plugin_proxy_def *) = dlsym(so, "FLBPluginRegister");
    void (*cb_unregister)(struct flb_plugin_proxy_def *) = dlsym(so, "FLBPluginUnregister");
    if (!cb_register) {
        fprintf(stderr, "harness: no FLBPluginRegister\n");
        return 1;
    }
    plugin.api = &api;
    api.output_get_property = output_get_property;

    static char line[1 << 20];
    static char *args[16384];
    setvbuf(stdout, NULL, _IOLBF, 0);
    while (fgets(line, sizeof line, stdin)) {
        int n = split(line, args, 16384);
        if (n == 0) continue;
        if (strcmp(args[0], "register") == 0) {
            if (pre_register && pre_register(0) == -1) {
                printf("register prereg=-1\n");
                continue;
            }
            int rc = cb_register(&def);
            if (def.type != 2 || def.proxy != 11) {
                printf("register rc=%d bad type=%d proxy=%d\n", rc, def.type, def.proxy);
                continue;
            }
            plugin.name = def.name;
            plugin.cb_init = dlsym(so, "FLBPluginInit");
            plugin.cb_flush = dlsym(so, "FLBPluginFlush");
            plugin.cb_flush_ctx = dlsym(so, "FLBPluginFlushCtx");
            plugin.cb_exit = dlsym(so, "FLBPluginExit");
            plugin.cb_exit_ctx = dlsym(so, "FLBPluginExitCtx");
            printf("register rc=%d name=%s type=%d proxy=%d init=%d flush_ctx=%d exit_ctx=%d\n", rc, def.name,
                   def.type, def.proxy, plugin.cb_init != NULL, plugin.cb_flush_ctx != NULL, plugin.cb_exit_ctx != NULL);
        } else if (strcmp(args[0], "init") == 0) {
            if (!plugin.cb_init || ninstances == MAX_INSTANCES) {
                printf("init rc=-1\n");
                continue;
            }
            struct instance *in = &instances[ninstances];
            for (int i = 1; i < n && in->nprops < MAX_PROPS; i++) {
                char *eq = strchr(args[i], '=');
                if (!eq) continue;
                *eq = 0;
                in->keys[in->nprops] = strdup(args[i]);
                in->values[in->nprops] = strdup(eq + 1);
                in->nprops++;
            }
            plugin.o_ins = in;
            plugin.context = &in->ctx;
            int rc = plugin.cb_init(&plugin);
            in->initialized = rc > 0;
            printf("init %d rc=%d\n", ninstances, rc);
            ninstances++;
        } else if (strcmp(args[0], "flush") == 0 && n >= 3) {
            int idx = atoi(args[1]);
            if (!valid_instance(idx)) {
                printf("flush rc=-1\n");
                continue;
            }
            printf("flush rc=%d\n", do_flush(idx, args[2], n > 3 ? args[3] : "harness"));
        } else if (strcmp(args[0], "flushall") == 0 && n >= 4) {
            struct flushall_job job = {.idx = atoi(args[1]), .files = args + 3, .nfiles = n - 3};
            int threads = atoi(args[2]);
            if (!valid_instance(job.idx) || threads < 1 || threads > 64) {
                printf("flushall rc=-1\n");
                continue;
            }
            pthread_mutex_init(&job.mu, NULL);
            pthread_t tids[64];
            for (int i = 0; i < threads; i++) pthread_create(&tids[i], NULL, flushall_worker, &job);
            for (int i = 0; i < threads; i++) pthread_join(tids[i], NULL);
            printf("flushall ok=%d retry=%d error=%d\n", job.counts[1], job.counts[2], job.counts[0]);
        } else if (strcmp(args[0], "bench") == 0 && n >= 4) {
            int idx = atoi(args[1]), passes = atoi(args[2]), nfiles = n - 3, ok = 0, flushes = 0;
            char **data = calloc((size_t) nfiles, sizeof *data);
            size_t *sizes = calloc((size_t) nfiles, sizeof *sizes);
            int loaded = valid_instance(idx);
            for (int i = 0; loaded && i < nfiles; i++) loaded = (data[i] = read_file(args[3 + i], &sizes[i])) != NULL;
            if (!loaded) {
                printf("bench rc=-1\n");
            } else {
                long long cpu0 = now_ns(CLOCK_PROCESS_CPUTIME_ID), wall0 = now_ns(CLOCK_MONOTONIC);
                for (int p = 0; p < passes; p++) {
                    for (int i = 0; i < nfiles; i++, flushes++) {
                        ok += plugin.cb_flush_ctx(instances[idx].ctx.remote_context, data[i], sizes[i], "bench") == 1;
                    }
                }
                long long cpu = now_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0, wall = now_ns(CLOCK_MONOTONIC) - wall0;
                printf("bench flushes=%d rc_ok=%d cpu_ns=%lld wall_ns=%lld\n", flushes, ok, cpu, wall);
            }
            for (int i = 0; i < nfiles; i++) free(data[i]);
            free(data);
            free(sizes);
        } else if (strcmp(args[0], "exit") == 0 && n >= 2) {
            int idx = atoi(args[1]), rc = -1;
            if (valid_instance(idx)) {
                if (plugin.cb_exit_ctx) {
                    rc = plugin.cb_exit_ctx(instances[idx].ctx.remote_context);
                } else if (plugin.cb_exit) {
                    rc = plugin.cb_exit();
                }
                instances[idx].initialized = 0;
            }
            printf("exit rc=%d\n", rc);
        } else if (strcmp(args[0], "unregister") == 0) {
            if (cb_unregister) cb_unregister(&def);
            printf("unregister\n");
        } else if (strcmp(args[0], "quit") == 0) {
            break;
        } else {
            printf("unknown command %s\n", args[0]);
        }
    }
    /* Go does not support unloading: no dlclose, as nothing may run after Unregister. */
    return 0;
}
