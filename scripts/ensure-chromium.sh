#!/usr/bin/env bash
# The browser test drives Debian's Chromium (never a downloaded browser).
# Installs it when it is missing and this shell may; otherwise says how.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
	echo "Installing Debian's chromium for the browser test..."
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
	exit 0
fi
echo "The browser test needs Debian's chromium at /usr/bin/chromium: run 'sudo apt-get install -y chromium'." >&2
exit 1
