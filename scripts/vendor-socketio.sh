#!/usr/bin/env bash
# Refresh chatbot/static/vendor/socket.io.min.js from the npm registry (version pinned in widget/package.json).
set -euo pipefail
cd "$(dirname "$0")/../widget"
npm install --no-audit --no-fund --silent
cp node_modules/socket.io-client/dist/socket.io.min.js ../chatbot/static/vendor/socket.io.min.js
echo "vendored socket.io-client $(node -p "require('./node_modules/socket.io-client/package.json').version")"
