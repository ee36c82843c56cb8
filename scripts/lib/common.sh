# Shared by ./casare-rpa and scripts/test: find a JDK >= 21 (java.sh) and build the project when
# needed. Sourced, not run. casare_find_jdk sets JAVA_HOME and JAVA.

. "$(dirname "${BASH_SOURCE[0]}")/java.sh"

# True when the launcher's jar is missing or older than any source or build file.
casare_needs_build() {
  local root=$1 jar=$1/cli/target/casare-rpa.jar
  [ -f "$jar" ] || return 0
  [ -n "$(find "$root" -path "$root/.git" -prune -o -path '*/target' -prune -o \
      \( -name pom.xml -o -path '*/src/main/*' \) -type f -newer "$jar" -print -quit)" ]
}

# Builds the launcher's jar (no tests, no release archive), one build at a time.
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
    if ! mvn -B -q -f "$root/pom.xml" -DskipTests -Dassembly.skipAssembly=true package >"$logfile.tmp" 2>&1; then
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
