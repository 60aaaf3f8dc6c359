#!/bin/bash
# The functions' AWS_LAMBDA_EXEC_WRAPPER (serverless.yml): Lambda's Node.js bootstrap runs
#   $wrapper /var/lang/bin/node --expose-gc ... --max-semi-space-size=<memory/20> --max-old-space-size=<memory*0.9> /var/runtime/index.mjs
# and command-line flags win over NODE_OPTIONS, so this is the one place to change them.
#
# - Young generation: at 512 MB the bootstrap's 25 MB semi-spaces (rounded up to 32) make a
#   64 MB new space, which a scan fills and never gives back: a third of its RSS. With 8 MB the
#   bundled scan of 1,000 clusters peaks at about 135 MB instead of 200 (`npm run bench`, handler
#   line); 4 MB saves 10 MB more but doubles the time spent collecting garbage.
# - glibc keeps what V8's parser frees after compiling the bundle (about 15 MB) unless its trim
#   threshold is fixed: 128 KB returns it to the system.
set -euo pipefail
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-131072}"
semi="${EKSGUARD_SEMI_SPACE_MB:-8}"
args=()
skip=0
for arg in "$@"; do
  if [ "$skip" = 1 ]; then
    skip=0
    continue
  fi
  case "$arg" in
    --max-semi-space-size=*) ;;
    --max-semi-space-size) skip=1 ;;
    *) args+=("$arg") ;;
  esac
done
exec "${args[0]}" "--max-semi-space-size=$semi" "${args[@]:1}"
