# Sourced by the run-*.sh scripts: the OpenBLAS kernel environment of the measured JVMs.
#
# This machine type sets OPENBLAS_CORETYPE=Haswell and OPENBLAS_L2_SIZE=512; with both unset,
# OpenBLAS (system 0.3.21, bundled 0.3.31) picks its AVX-512 kernels, and the peers (numpy, DJL)
# run with both unset. So the Kronograd JVMs run with both unset too, in their own command only
# (`"${jvm_env[@]}" java …`); KEEP_OPENBLAS_ENV=1 keeps them as set. Every summary records which
# (openblas_env) and the OPENBLAS_* variables the JVMs actually saw (jvm_openblas_vars).
if [[ "${KEEP_OPENBLAS_ENV:-0}" == 1 ]]; then
  jvm_env=(env)
  openblas_env=kept
else
  jvm_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
  openblas_env=unset
fi
jvm_openblas_vars="$("${jvm_env[@]}" | grep '^OPENBLAS_' | sort | paste -sd ' ' - || true)"
# The arguments every report script takes for this: --openblas-env kept|unset --jvm-vars "A=1 B=2".
env_args=(--openblas-env "$openblas_env" --jvm-vars "$jvm_openblas_vars")

# JavaCPP extracts the bundled OpenBLAS once per jar *name* (~/.javacpp/cache/<jar name>/, ≈ 60 MB): the scripts
# measure a copy of the benchmarks jar under a stamped name, so they remove that copy's cache entry on exit.
drop_jar_cache() { # jar
  rm -rf "${HOME}/.javacpp/cache/$(basename "$1")"
}
