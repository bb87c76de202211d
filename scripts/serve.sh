#!/bin/sh
# Runs node with the server's flags, then the given arguments:
#   sh scripts/serve.sh node_modules/next/dist/bin/next start -p 3000     (npm start, npm run up, tests, benches)
#   sh scripts/serve.sh server.js                                         (the image's standalone server)
# The one place the flags are written: V8 refuses them in NODE_OPTIONS. `exec` keeps one process, so the pid a
# caller holds is the server's. Why each flag: docs/deployment.md#node-flags.
exec node --single-threaded-gc --max-semi-space-size=64 --heap-growing-percent=100 --no-flush-bytecode "$@"
