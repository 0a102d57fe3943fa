/*
 * Zero-copy gemm for the openblas-bundled backend (dev.kronograd.backend.openblas.CriticalGemm).
 *
 * init0 finds cblas_dgemm in the OpenBLAS that JavaCPP has already loaded (dlopen with RTLD_NOLOAD:
 * this library never loads a second copy) and keeps the function pointer. dgemm0 pins the Java
 * arrays with GetPrimitiveArrayCritical (no copies), calls OpenBLAS on them in place and releases
 * them: A and B with JNI_ABORT (never written), C with 0.
 *
 * Interposition: when a BLAS was loaded into the global scope before the bundled OpenBLAS (netlib's
 * JNI loads the system libblas.so.3, which needs the system libopenblas.so.0, before it), the dynamic
 * loader binds the bundled library's own references (gotoblas, its kernels) and JavaCPP's calls
 * (cblas_dgemm, openblas_set_num_threads) to that earlier library. The bundled cblas_dgemm then runs
 * with another version's tables and crashes. init0 therefore uses the cblas_dgemm that the global
 * scope resolves (the one JavaCPP's calls reach) when there is one, the bundled library's own
 * otherwise, and refuses when the bundled library's internals are interposed but its cblas_dgemm
 * is not. It reports the file whose cblas_dgemm it uses.
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

static void *kg_handle = NULL;
static kg_dgemm_fn kg_dgemm = NULL;

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
 * "ok:" followed by the file whose cblas_dgemm is now in use, or "error:" followed by the reason
 * (dlerror's text, or the interposition found).
 */
JNIEXPORT jstring JNICALL Java_dev_kronograd_backend_openblas_CriticalGemm_init0(JNIEnv *env, jclass cls, jstring file) {
    (void) cls;
    if (file == NULL) {
        return kg_result(env, "error:", "no OpenBLAS file given");
    }
    const char *path = (*env)->GetStringUTFChars(env, file, NULL);
    if (path == NULL) {
        return NULL; /* OutOfMemoryError pending */
    }
    dlerror();
    void *handle = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
    (*env)->ReleaseStringUTFChars(env, file, path);
    if (handle == NULL) {
        const char *why = dlerror();
        return kg_result(env, "error:dlopen(RTLD_NOLOAD) found no loaded library of that file: ", why);
    }
    dlerror();
    void *own = dlsym(handle, "cblas_dgemm");
    if (own == NULL) {
        const char *why = dlerror();
        dlclose(handle);
        return kg_result(env, "error:", why);
    }
    void *global = dlsym(RTLD_DEFAULT, "cblas_dgemm");
    void *own_tables = dlsym(handle, "gotoblas");
    void *global_tables = dlsym(RTLD_DEFAULT, "gotoblas");
    void *chosen = own;
    if (global != NULL && global != own) {
        chosen = global; /* what JavaCPP's calls reach, and self-consistent */
    } else if (own_tables != NULL && global_tables != NULL && own_tables != global_tables) {
        Dl_info info;
        const char *other = dladdr(global_tables, &info) && info.dli_fname != NULL ? info.dli_fname : "another library";
        dlclose(handle);
        return kg_result(env, "error:the bundled OpenBLAS's internal tables (gotoblas) are bound to an earlier library, ", other);
    }
    Dl_info info;
    const char *chosen_file = dladdr(chosen, &info) && info.dli_fname != NULL ? info.dli_fname : "(unknown file)";
    /* The reference taken by dlopen is kept for the life of the process: the pointer must stay valid. */
    kg_handle = handle;
    kg_dgemm = (kg_dgemm_fn) chosen;
    return kg_result(env, "ok:", chosen_file);
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
