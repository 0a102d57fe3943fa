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
 * The Java side has checked every argument before dgemm0 (dimensions, leading dimensions, offsets
 * and array bounds, no overlap of C with A or B); this file only guards against a missing init.
 * Links nothing but libdl.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>
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
