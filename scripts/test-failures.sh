#!/usr/bin/env bash
# scripts/test-failures.sh RESULTS_DIR: names every failed test in the .trx files of RESULTS_DIR, with the
# first lines of its message and stack, so that the end of ./test.sh's output (often all a CI log keeps)
# says what failed and why. Prints nothing when every test passed. Plain awk: no XML tool needed on the host.
set -uo pipefail
dir=${1:?usage: test-failures.sh RESULTS_DIR}
for f in "$dir"/*.trx; do
  [[ -f $f ]] || continue
  awk -v max=8 '
    function unescape(s) {
      gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\x27", s)
      gsub(/&#xD;/, "", s); gsub(/&#xA;/, " ", s); gsub(/&amp;/, "\\&", s); return s
    }
    /<UnitTestResult / {
      failed = ($0 ~ /outcome="(Failed|Error|Timeout|Aborted)"/)
      if (failed) {
        name = $0; sub(/.*testName="/, "", name); sub(/".*/, "", name)
        printf "FAILED %s\n", unescape(name); lines = 0; inmsg = 0
      }
    }
    failed && /<Message>/ { inmsg = 1; sub(/.*<Message>/, "") }
    failed && /<StackTrace>/ { inmsg = 1; sub(/.*<StackTrace>/, ""); print "    --- stack" }
    failed && inmsg {
      line = $0; done = 0
      if (line ~ /<\/(Message|StackTrace)>/) { sub(/<\/(Message|StackTrace)>.*/, "", line); done = 1 }
      if (lines < max && line !~ /^[ \t]*$/) { printf "    %s\n", unescape(line); lines++ }
      if (done) { inmsg = 0; lines = (lines > max - 3 ? max - 3 : lines) }
    }
    /<\/UnitTestResult>/ { failed = 0; inmsg = 0 }
  ' "$f"
done
