# Shared by ./casare-rpa and scripts/test: find a JDK >= 21 and build the project when needed.
# Sourced, not run. Sets JAVA_HOME and JAVA.

CASARE_MIN_JAVA=21

# The major version of the java binary $1, or nothing if it does not run.
casare_java_major() {
  local v
  v=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1)
  [ -n "$v" ] || return 1
  case "$v" in 1.*) v=${v#1.} ;; esac
  printf '%s\n' "${v%%.*}"
}

# Looks for a JDK (java and javac) >= 21: JAVA_HOME, then PATH, then /usr/lib/jvm/* (newest
# first; CASARE_JVM_DIR names another directory of JDKs).
casare_find_jdk() {
  local candidates=() home major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  local jvm_dir=${CASARE_JVM_DIR:-/usr/lib/jvm}
  if [ -d "$jvm_dir" ]; then
    while IFS= read -r home; do candidates+=("$home"); done < <(ls -d "$jvm_dir"/*/ 2>/dev/null | sed 's:/$::' | sort -Vr)
  fi
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
    major=$(casare_java_major "$home/bin/java") || continue
    if [ "$major" -ge "$CASARE_MIN_JAVA" ] 2>/dev/null; then
      export JAVA_HOME="$home"
      JAVA="$home/bin/java"
      return 0
    fi
  done
  echo "error: CasareRPA needs a JDK $CASARE_MIN_JAVA or newer and found none (looked at JAVA_HOME, PATH and ${CASARE_JVM_DIR:-/usr/lib/jvm})." >&2
  echo "       Install one (for example: apt-get install -y openjdk-21-jdk-headless) or set JAVA_HOME to it." >&2
  return 1
}

# True when the launcher's jar is missing or older than any source or build file.
casare_needs_build() {
  local root=$1 jar=$1/cli/target/casare-rpa.jar
  [ -f "$jar" ] || return 0
  [ -n "$(find "$root" -path "$root/.git" -prune -o -path '*/target' -prune -o \
      \( -name pom.xml -o -path '*/src/main/*' \) -type f -newer "$jar" -print -quit)" ]
}

# Builds the launcher's jar (no tests), one build at a time.
casare_build() {
  local root=$1
  if ! command -v mvn >/dev/null 2>&1; then
    echo "error: Maven (mvn) is needed to build CasareRPA; install it (apt-get install -y maven)." >&2
    return 1
  fi
  (
    flock 9
    casare_needs_build "$root" || exit 0
    echo "Building CasareRPA (first run, or the sources changed)..." >&2
    local logfile="$root/cli/target/build.log"
    mkdir -p "$root/cli/target"
    if ! mvn -B -q -f "$root/pom.xml" -DskipTests package >"$logfile.tmp" 2>&1; then
      mv "$logfile.tmp" "$logfile"
      tail -n 40 "$logfile" >&2
      echo "error: the build failed; the full log is $logfile" >&2
      exit 1
    fi
    mv "$logfile.tmp" "$logfile"
    # The jar plugin leaves an unchanged jar alone, so a change in another module (the robot's,
    # say) would make every later run build again: mark the jar as built now.
    touch "$root/cli/target/casare-rpa.jar"
  ) 9>"$root/.build.lock"
}
