# Finds a Java >= 21 and runs it: shared by the launchers, ./casare-rpa of the source tree (through
# common.sh) and bin/casare-rpa of the release archive (which ships this file as lib/java.sh).
# Sourced, not run. casare_find_java and casare_find_jdk set JAVA_HOME and JAVA.

CASARE_MIN_JAVA=21

# The major version of the java binary $1, or nothing if it does not run.
casare_java_major() {
  local v
  v=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1)
  [ -n "$v" ] || return 1
  case "$v" in 1.*) v=${v#1.} ;; esac
  printf '%s\n' "${v%%.*}"
}

# Looks for a Java >= 21 (a JRE is enough; "jdk" as $1: javac too): JAVA_HOME, then PATH, then
# /usr/lib/jvm/* (newest first; CASARE_JVM_DIR names another directory of JDKs).
casare_find_java() {
  local need=${1:-jre} tool=java what="Java (a JRE or a JDK)"
  if [ "$need" = jdk ]; then tool=javac what="a JDK"; fi
  local candidates=() home major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v "$tool" >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v "$tool")")")")")
  fi
  local jvm_dir=${CASARE_JVM_DIR:-/usr/lib/jvm}
  if [ -d "$jvm_dir" ]; then
    while IFS= read -r home; do candidates+=("$home"); done < <(ls -d "$jvm_dir"/*/ 2>/dev/null | sed 's:/$::' | sort -Vr)
  fi
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] && [ -x "$home/bin/$tool" ] || continue
    major=$(casare_java_major "$home/bin/java") || continue
    if [ "$major" -ge "$CASARE_MIN_JAVA" ] 2>/dev/null; then
      export JAVA_HOME="$home"
      JAVA="$home/bin/java"
      return 0
    fi
  done
  echo "error: CasareRPA needs $what $CASARE_MIN_JAVA or newer and found none (looked at JAVA_HOME, PATH and ${CASARE_JVM_DIR:-/usr/lib/jvm})." >&2
  if [ "$need" = jdk ]; then
    echo "       Install one (for example: apt-get install -y openjdk-21-jdk-headless) or set JAVA_HOME to it." >&2
  else
    echo "       Install one (for example: apt-get install -y openjdk-21-jre-headless) or set JAVA_HOME to it." >&2
  fi
  return 1
}

# Looks for a JDK (java and javac) >= 21, as casare_find_java does.
casare_find_jdk() {
  casare_find_java jdk
}

# Replaces the shell with $JAVA, its options first: JAVA_OPTS, then CASARE_JAVA_OPTS (split at white
# space, no quoting; of two values of one option the later wins, so CASARE_JAVA_OPTS can override what
# an image or unit puts in JAVA_OPTS), then the arguments. PORT, the port a platform (Railway, Cloud
# Run, Heroku, Render) tells a process to serve on, becomes ORCHESTRATOR_PORT when neither
# ORCHESTRATOR_PORT nor CASARE_ORCHESTRATOR_PORT is set.
casare_exec_java() {
  local opts=()
  set -f
  # shellcheck disable=SC2206 # split on purpose, as every Java launcher does with JAVA_OPTS
  opts=(${JAVA_OPTS:-} ${CASARE_JAVA_OPTS:-})
  set +f
  if [ -n "${PORT:-}" ] && [ -z "${ORCHESTRATOR_PORT:-}" ] && [ -z "${CASARE_ORCHESTRATOR_PORT:-}" ]; then
    export ORCHESTRATOR_PORT="$PORT"
  fi
  exec "$JAVA" "${opts[@]}" "$@"
}
