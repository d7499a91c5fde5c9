# Sourced by the project's scripts: makes JAVA_HOME point at a JDK >= 21 (jOOQ 3.21 needs it).
# Keeps a JAVA_HOME that is already new enough; otherwise picks the newest JDK >= 21 found in
# /usr/lib/jvm or on PATH, and fails with a clear message when there is none.

_java_major() { # prints the feature version of the java binary in $1/bin/java
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
}

_select_jdk() {
    local candidate major best="" best_major=0
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* \
        "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
        [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
        major=$(_java_major "$candidate")
        [ -n "$major" ] || continue
        if [ "$candidate" = "${JAVA_HOME:-}" ] && [ "$major" -ge 21 ]; then best=$candidate; break; fi
        if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best=$candidate; best_major=$major; fi
    done
    if [ -z "$best" ]; then
        echo "error: no JDK 21 or newer found (looked at JAVA_HOME, /usr/lib/jvm/*, PATH)." >&2
        echo "       Install one (e.g. apt-get install openjdk-21-jdk-headless) or set JAVA_HOME." >&2
        return 1
    fi
    export JAVA_HOME="$best"
    export PATH="$JAVA_HOME/bin:$PATH"
}

_select_jdk
