/*
 * Zero-copy gemm for the openblas-bundled backend (dev.kronograd.backend.openblas.CriticalGemm).
 *
 * init0 opens a private copy of the bundled OpenBLAS file (written beside the file JavaCPP
 * extracted, so that its $ORIGIN run path still finds libgfortran) with RTLD_LOCAL | RTLD_DEEPBIND
 * and keeps pointers to cblas_dgemm and the thread-count functions of that copy.
 *
 * Why a private copy, bound deeply: a BLAS loaded into the process's global scope before the bundled
 * OpenBLAS (netlib's JNI loads the system libblas.so.3, which needs the system libopenblas.so.0)
 * interposes every symbol the two libraries share. The copy JavaCPP loaded then has its own
 * references (gotoblas, its kernels) and JavaCPP's calls (cblas_dgemm, openblas_set_num_threads)
 * bound to the earlier library: it computes with the system OpenBLAS, and setting its threads sets
 * the system library's. RTLD_DEEPBIND makes the copy resolve its own symbols first, so it runs the
 * bundled code with its own tables and its own thread pool, whatever was loaded before; RTLD_LOCAL
 * keeps it out of the global scope, so it interposes nothing either. A different file (not the path
 * JavaCPP loaded) is needed because dlopen of an already loaded file returns the existing object.
 *
 * dgemm0 pins the Java arrays with GetPrimitiveArrayCritical (no copies), calls OpenBLAS on them in
 * place and releases them: C with 0 first, then A and B with JNI_ABORT (never written).
 *
 * pool0 hands the private copy's parallel work to this file's own worker threads instead of OpenBLAS's
 * (openblas_set_threads_callback_function, OpenBLAS 0.3.27 and later). OpenBLAS's pthreads server keeps
 * its workers spinning for 2^28 cycles (about 0.1 s) after every parallel call; on a machine whose cores
 * the JVM also needs between two GEMMs (a gradient's elementwise phase, a service's request threads),
 * that spin takes a core away from Java. These workers spin for a short, configurable time (so a
 * GEMM right after another finds them awake) and then sleep on a condition variable.
 * The jobs of one OpenBLAS call wait for each other (level 3 threads exchange packed panels), so
 * every job gets its own thread: job 0 on the caller, job i on worker i. setThreads0 grows the pool
 * before OpenBLAS may ask for more jobs, and lowers the thread count to what the pool can serve when
 * a worker cannot be started.
 *
 * The Java side has checked every argument before dgemm0 (dimensions, leading dimensions, offsets
 * and array bounds, no overlap of C with A or B); this file only guards against a missing init.
 * Links nothing but libdl and libpthread.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <jni.h>

/* CBLAS constants (cblas.h), spelled here so that no OpenBLAS header is needed at build time. */
enum { KG_CBLAS_COL_MAJOR = 102, KG_CBLAS_NO_TRANS = 111, KG_CBLAS_TRANS = 112 };

/* cblas_dgemm of an LP64 OpenBLAS (32-bit blasint), as org.bytedeco:openblas builds it. */
typedef void (*kg_dgemm_fn)(int order, int trans_a, int trans_b, int m, int n, int k,
                            double alpha, const double *a, int lda, const double *b, int ldb,
                            double beta, double *c, int ldc);
typedef void (*kg_set_threads_fn)(int threads);
typedef int (*kg_get_threads_fn)(void);
typedef int (*kg_set_threads_local_fn)(int threads);
typedef char *(*kg_string_fn)(void);

static void *kg_handle = NULL;
static kg_dgemm_fn kg_dgemm = NULL;
static kg_set_threads_fn kg_set_threads = NULL;
static kg_get_threads_fn kg_get_threads = NULL;
static kg_set_threads_local_fn kg_set_threads_local = NULL;
static kg_string_fn kg_corename = NULL;
static kg_string_fn kg_config = NULL;

/* ---- the worker pool behind openblas_set_threads_callback_function --------------------------------------------- */

/* cblas.h (0.3.27+): openblas_dojob_callback and openblas_threads_callback. */
typedef void (*kg_dojob_fn)(int thread_num, void *jobdata, int dojob_data);
typedef void (*kg_threads_callback_fn)(int sync, kg_dojob_fn dojob, int numjobs, size_t jobdata_elsize,
                                       void *jobdata, int dojob_data);
typedef void (*kg_set_callback_fn)(kg_threads_callback_fn callback);

enum { KG_MAX_WORKERS = 255 };

typedef struct {
    /* The call this worker has a job in (0: none yet); written by the caller, release. */
    atomic_uint call;
    pthread_t thread;
} kg_worker_t;

static kg_worker_t kg_workers[KG_MAX_WORKERS];
/* Workers started (only grows, under kg_pool_grow). */
static atomic_int kg_worker_count = 0;
/* Serialises parallel calls (one job set in flight) and pool growth. */
static pthread_mutex_t kg_pool_call = PTHREAD_MUTEX_INITIALIZER;
/* With kg_pool_wake: where idle workers sleep. */
static pthread_mutex_t kg_pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t kg_pool_wake = PTHREAD_COND_INITIALIZER;
/* The call in flight: set by the caller before it publishes kg_workers[i].call, read by the workers after. */
static unsigned kg_call_id = 0;
static kg_dojob_fn kg_job_fn;
static char *kg_job_data;
static size_t kg_job_size;
static int kg_job_arg;
/* Jobs of the call in flight not yet finished by the workers. */
static atomic_int kg_pending;
/* How long an idle worker spins before it sleeps, in ns. */
static long kg_spin_ns = 0;
/* Non-zero once the callback is installed. */
static atomic_int kg_pool_on = 0;
/* Statistics for the tests: parallel calls served, jobs run by workers. */
static atomic_long kg_pool_calls = 0;
static atomic_long kg_pool_worker_jobs = 0;

static inline void kg_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

static long kg_now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long) t.tv_sec * 1000000000L + t.tv_nsec;
}

static void *kg_worker_main(void *arg) {
    int index = (int) (intptr_t) arg; /* this worker runs job index + 1 */
    kg_worker_t *self = &kg_workers[index];
    unsigned done = 0;
    for (;;) {
        unsigned call = atomic_load_explicit(&self->call, memory_order_acquire);
        if (call == done) {
            long spin_until = kg_now_ns() + kg_spin_ns;
            int n = 0;
            while ((call = atomic_load_explicit(&self->call, memory_order_acquire)) == done) {
                kg_relax();
                if ((++n & 63) == 0 && kg_now_ns() >= spin_until) {
                    break;
                }
            }
            if (call == done) {
                pthread_mutex_lock(&kg_pool_lock);
                while ((call = atomic_load_explicit(&self->call, memory_order_acquire)) == done) {
                    pthread_cond_wait(&kg_pool_wake, &kg_pool_lock);
                }
                pthread_mutex_unlock(&kg_pool_lock);
            }
        }
        done = call;
        kg_job_fn(index + 1, kg_job_data + (size_t) (index + 1) * kg_job_size, kg_job_arg);
        atomic_fetch_add_explicit(&kg_pool_worker_jobs, 1, memory_order_relaxed);
        atomic_fetch_sub_explicit(&kg_pending, 1, memory_order_release);
    }
    return NULL;
}

/* Starts workers until there are `wanted` (at most KG_MAX_WORKERS); the number there is afterwards. Caller holds kg_pool_call. */
static int kg_grow(int wanted) {
    if (wanted > KG_MAX_WORKERS) {
        wanted = KG_MAX_WORKERS;
    }
    int count = atomic_load(&kg_worker_count);
    while (count < wanted) {
        pthread_attr_t attr;
        if (pthread_attr_init(&attr) != 0) {
            break;
        }
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        int failed = pthread_create(&kg_workers[count].thread, &attr, kg_worker_main, (void *) (intptr_t) count);
        pthread_attr_destroy(&attr);
        if (failed) {
            break;
        }
        char name[16];
        snprintf(name, sizeof name, "kg-blas-%d", (count + 1) % 1000);
        pthread_setname_np(kg_workers[count].thread, name); /* for thread dumps and top; failure is harmless */
        count++;
        atomic_store(&kg_worker_count, count);
    }
    return count;
}

/* A thread count the pool can serve: with the pool installed, grows it to threads - 1 workers and returns at most
   workers + 1 (also when a worker cannot be started); without it, threads unchanged. */
static int kg_servable(int threads) {
    if (!atomic_load(&kg_pool_on) || threads <= 1) {
        return threads;
    }
    pthread_mutex_lock(&kg_pool_call);
    int workers = kg_grow(threads - 1);
    pthread_mutex_unlock(&kg_pool_call);
    return threads > workers + 1 ? workers + 1 : threads;
}

/* OpenBLAS's threads callback: job 0 on the calling thread, job i on worker i - 1; returns when all are done. */
static void kg_threads_callback(int sync, kg_dojob_fn dojob, int numjobs, size_t jobdata_elsize, void *jobdata, int dojob_data) {
    (void) sync; /* always waited for: OpenBLAS's pthreads server passes 1 */
    if (numjobs <= 1) {
        if (numjobs == 1) {
            dojob(0, jobdata, dojob_data);
        }
        return;
    }
    pthread_mutex_lock(&kg_pool_call);
    int helpers = numjobs - 1;
    if (kg_grow(helpers) < helpers) {
        /* Unreachable in practice: setThreads0 and setThreadsLocal0 grow the pool first and lower the count
           to what it serves, so this needs pthread_create to fail here after succeeding there. The jobs
           wait for each other: on fewer threads they would hang, so stop loudly instead. */
        fprintf(stderr, "kronograd-openblas: %d OpenBLAS jobs but only %d worker threads could be started\n",
                numjobs, atomic_load(&kg_worker_count) + 1);
        fflush(stderr);
        abort();
    }
    unsigned call = ++kg_call_id;
    if (call == 0) {
        call = ++kg_call_id; /* 0 means "no call yet" to a worker */
    }
    kg_job_fn = dojob;
    kg_job_data = (char *) jobdata;
    kg_job_size = jobdata_elsize;
    kg_job_arg = dojob_data;
    atomic_store_explicit(&kg_pending, helpers, memory_order_relaxed);
    for (int i = 0; i < helpers; i++) {
        atomic_store_explicit(&kg_workers[i].call, call, memory_order_release);
    }
    pthread_mutex_lock(&kg_pool_lock);
    pthread_cond_broadcast(&kg_pool_wake);
    pthread_mutex_unlock(&kg_pool_lock);
    dojob(0, jobdata, dojob_data);
    for (int n = 1; atomic_load_explicit(&kg_pending, memory_order_acquire) != 0; n++) {
        kg_relax();
        if ((n & 1023) == 0) {
            sched_yield();
        }
    }
    atomic_fetch_add_explicit(&kg_pool_calls, 1, memory_order_relaxed);
    pthread_mutex_unlock(&kg_pool_call);
}

static void kg_throw(JNIEnv *env, const char *class_name, const char *message) {
    jclass cls = (*env)->FindClass(env, class_name);
    if (cls != NULL) {
        (*env)->ThrowNew(env, cls, message);
    }
}

static jstring kg_result(JNIEnv *env, const char *prefix, const char *text) {
    char buffer[4096];
    snprintf(buffer, sizeof buffer, "%s%s", prefix, text != NULL ? text : "(no reason given)");
    return (*env)->NewStringUTF(env, buffer);
}

/*
 * "ok:" followed by the file whose cblas_dgemm is now in use (the private copy), or "error:" followed
 * by the reason (dlerror's text, or a missing function).
 */
JNIEXPORT jstring JNICALL Java_dev_kronograd_backend_openblas_CriticalGemm_init0(JNIEnv *env, jclass cls, jstring file) {
    (void) cls;
    if (file == NULL) {
        return kg_result(env, "error:", "no OpenBLAS file given");
    }
    if (kg_dgemm != NULL) {
        return kg_result(env, "error:", "init0 already ran");
    }
    const char *path = (*env)->GetStringUTFChars(env, file, NULL);
    if (path == NULL) {
        return NULL; /* OutOfMemoryError pending */
    }
    dlerror();
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
    (*env)->ReleaseStringUTFChars(env, file, path);
    if (handle == NULL) {
        const char *why = dlerror();
        return kg_result(env, "error:dlopen(RTLD_LOCAL | RTLD_DEEPBIND) failed: ", why);
    }
    void *dgemm = dlsym(handle, "cblas_dgemm");
    void *set_threads = dlsym(handle, "openblas_set_num_threads");
    void *get_threads = dlsym(handle, "openblas_get_num_threads");
    if (dgemm == NULL || set_threads == NULL || get_threads == NULL) {
        dlclose(handle);
        return kg_result(env, "error:", "the copy lacks cblas_dgemm, openblas_set_num_threads or openblas_get_num_threads");
    }
    Dl_info info;
    const char *dgemm_file = dladdr(dgemm, &info) && info.dli_fname != NULL ? info.dli_fname : "(unknown file)";
    /* The reference taken by dlopen is kept for the life of the process: the pointers must stay valid. */
    kg_handle = handle;
    kg_set_threads = (kg_set_threads_fn) set_threads;
    kg_get_threads = (kg_get_threads_fn) get_threads;
    kg_set_threads_local = (kg_set_threads_local_fn) dlsym(handle, "openblas_set_num_threads_local"); /* 0.3.27 and later */
    kg_corename = (kg_string_fn) dlsym(handle, "openblas_get_corename");
    kg_config = (kg_string_fn) dlsym(handle, "openblas_get_config");
    kg_dgemm = (kg_dgemm_fn) dgemm;
    return kg_result(env, "ok:", dgemm_file);
}

/* openblas_set_num_threads of the private copy (process-wide for that copy only). */
JNIEXPORT void JNICALL Java_dev_kronograd_backend_openblas_CriticalGemm_setThreads0(JNIEnv *env, jclass cls, jint threads) {
    (void) cls;
    if (kg_set_threads == NULL) {
        kg_throw(env, "java/lang/IllegalStateException", "kronograd-openblas: setThreads0 called before a successful init0");
        return;
    }
    threads = kg_servable(threads);
    kg_set_threads(threads);
}

/* openblas_get_num_threads of the private copy. */
JNIEXPORT jint JNICALL Java_dev_kronograd_backend_openblas_CriticalGemm_threads0(JNIEnv *env, jclass cls) {
    (void) cls;
    if (kg_get_threads == NULL) {
        kg_throw(env, "java/lang/IllegalStateException", "kronograd-openblas: threads0 called before a successful init0");
        return -1;
    }
    return kg_get_threads();
}

/* openblas_set_num_threads_local of the private copy (the calling thread's count; 0 = the global one): the previous
   value, or -1 when this OpenBLAS has no such function. */
JNIEXPORT jint JNICALL Java_dev_kronograd_backend_openblas_CriticalGemm_setThreadsLocal0(JNIEnv *env, jclass cls, jint threads) {
    (void) env;
    (void) cls;
    if (kg_set_threads_local == NULL) {
        return -1;
    }
    threads = kg_servable(threads);
    return kg_set_threads_local(threads);
}

/* OpenBLAS's name for the kernels it chose (e.g. "Haswell", "Cooperlake"), or null. */
JNIEXPORT jstring JNICALL Java_dev_kronograd_backend_openblas_CriticalGemm_corename0(JNIEnv *env, jclass cls) {
    (void) cls;
    if (kg_corename == NULL) {
        return NULL;
    }
    const char *name = kg_corename();
    return name == NULL ? NULL : (*env)->NewStringUTF(env, name);
}

/* openblas_get_config of the private copy (version and build options, e.g. "OpenBLAS 0.3.31 DYNAMIC_ARCH ..."), or null. */
JNIEXPORT jstring JNICALL Java_dev_kronograd_backend_openblas_CriticalGemm_config0(JNIEnv *env, jclass cls) {
    (void) cls;
    if (kg_config == NULL) {
        return NULL;
    }
    const char *config = kg_config();
    return config == NULL ? NULL : (*env)->NewStringUTF(env, config);
}

/*
 * Hands the private copy's parallel work to this file's workers, which spin for spin_nanos after a job before
 * they sleep: "ok:" when installed (or already), "error:" and why not (this OpenBLAS has no
 * openblas_set_threads_callback_function, or no worker could be started). Sets the copy's thread count to 1.
 */
JNIEXPORT jstring JNICALL Java_dev_kronograd_backend_openblas_CriticalGemm_pool0(JNIEnv *env, jclass cls, jint workers, jlong spin_nanos) {
    (void) cls;
    if (kg_handle == NULL || kg_set_threads == NULL) {
        return kg_result(env, "error:", "pool0 called before a successful init0");
    }
    if (atomic_load(&kg_pool_on)) {
        return kg_result(env, "ok:", "already installed");
    }
    kg_set_callback_fn set_callback = (kg_set_callback_fn) dlsym(kg_handle, "openblas_set_threads_callback_function");
    if (set_callback == NULL) {
        return kg_result(env, "error:", "this OpenBLAS has no openblas_set_threads_callback_function (0.3.27 and later have)");
    }
    kg_spin_ns = spin_nanos < 0 ? 0 : (long) spin_nanos;
    pthread_mutex_lock(&kg_pool_call);
    int started = kg_grow(workers < 1 ? 1 : workers);
    pthread_mutex_unlock(&kg_pool_call);
    if (started < 1) {
        return kg_result(env, "error:", "no worker thread could be started");
    }
    kg_set_threads(1);
    set_callback(kg_threads_callback);
    atomic_store(&kg_pool_on, 1);
    return kg_result(env, "ok:", "installed");
}

/* {parallel calls served by the pool, jobs run by its workers, workers started}; zeros when it is not installed. */
JNIEXPORT jlongArray JNICALL Java_dev_kronograd_backend_openblas_CriticalGemm_poolStats0(JNIEnv *env, jclass cls) {
    (void) cls;
    jlong values[3] = {atomic_load(&kg_pool_calls), atomic_load(&kg_pool_worker_jobs), atomic_load(&kg_worker_count)};
    jlongArray result = (*env)->NewLongArray(env, 3);
    if (result != NULL) {
        (*env)->SetLongArrayRegion(env, result, 0, 3, values);
    }
    return result;
}

JNIEXPORT void JNICALL Java_dev_kronograd_backend_openblas_CriticalGemm_dgemm0(JNIEnv *env, jclass cls,
        jboolean trans_a, jboolean trans_b, jint m, jint n, jint k, jdouble alpha,
        jdoubleArray a, jint a_off, jint lda, jdoubleArray b, jint b_off, jint ldb,
        jdouble beta, jdoubleArray c, jint c_off, jint ldc) {
    (void) cls;
    if (kg_dgemm == NULL) {
        kg_throw(env, "java/lang/IllegalStateException", "kronograd-openblas: dgemm0 called before a successful init0");
        return;
    }
    double *pa = (*env)->GetPrimitiveArrayCritical(env, a, NULL);
    if (pa == NULL) {
        goto out_of_memory;
    }
    double *pb = (*env)->GetPrimitiveArrayCritical(env, b, NULL);
    if (pb == NULL) {
        (*env)->ReleasePrimitiveArrayCritical(env, a, pa, JNI_ABORT);
        goto out_of_memory;
    }
    double *pc = (*env)->GetPrimitiveArrayCritical(env, c, NULL);
    if (pc == NULL) {
        (*env)->ReleasePrimitiveArrayCritical(env, b, pb, JNI_ABORT);
        (*env)->ReleasePrimitiveArrayCritical(env, a, pa, JNI_ABORT);
        goto out_of_memory;
    }
    kg_dgemm(KG_CBLAS_COL_MAJOR, trans_a ? KG_CBLAS_TRANS : KG_CBLAS_NO_TRANS, trans_b ? KG_CBLAS_TRANS : KG_CBLAS_NO_TRANS,
             m, n, k, alpha, pa + a_off, lda, pb + b_off, ldb, beta, pc + c_off, ldc);
    /* C is written back first (if the JVM copied), then the copies of A and B are discarded: an array
       passed as both A and C (disjoint regions) thus keeps the product. */
    (*env)->ReleasePrimitiveArrayCritical(env, c, pc, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, b, pb, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, a, pa, JNI_ABORT);
    return;

out_of_memory:
    if (!(*env)->ExceptionCheck(env)) {
        kg_throw(env, "java/lang/OutOfMemoryError", "kronograd-openblas: GetPrimitiveArrayCritical failed");
    }
}
