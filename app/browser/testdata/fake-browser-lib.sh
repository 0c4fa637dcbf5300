# Sourced by the fake browsers. It finds the profile in the arguments
# (--user-data-dir=DIR or -profile DIR), starts a helper that keeps writing
# into it and into $TMPDIR, as a real browser's helper processes do, and
# records the arguments, LANGUAGE, TMPDIR, the profile's user.js and both
# process ids in
# $FAKE_BROWSER_LOG.N (N counts the starts), written whole at once.

profile=
prev=
for a in "$@"; do
	case $a in
	--user-data-dir=*) profile=${a#--user-data-dir=} ;;
	esac
	if [ "$prev" = -profile ]; then profile=$a; fi
	prev=$a
done
if [ -z "$profile" ]; then
	echo "fake browser: no profile in the arguments" >&2
	exit 2
fi

# The helper stays in the browser's process group (no job control here),
# unless FAKE_BROWSER_STRAY is set: then it leaves it, as Chromium's crash
# handler does. Were it still alive after the profile was wiped, it would
# make it again.
helper_loop='i=0
while [ $i -lt 3000 ]; do
	mkdir -p "$1/Default" && echo "$i" >"$1/Default/Cache-$i"
	echo "$i" >"$TMPDIR/.shm-$i"
	i=$((i + 1))
	sleep 0.02
done'
if [ -n "$FAKE_BROWSER_STRAY" ]; then
	setsid sh -c "$helper_loop" helper "$profile" &
else
	sh -c "$helper_loop" helper "$profile" &
fi
helper=$!

n=1
while ! mkdir "$FAKE_BROWSER_LOG.$n.lock" 2>/dev/null; do n=$((n + 1)); done
{
	for a in "$@"; do printf 'arg %s\n' "$a"; done
	printf 'env LANGUAGE=%s\n' "$LANGUAGE"
	printf 'env TMPDIR=%s\n' "$TMPDIR"
	if [ -f "$profile/user.js" ]; then sed 's/^/user.js /' "$profile/user.js"; fi
	printf 'pid %s\n' $$
	printf 'helper %s\n' "$helper"
} >"$FAKE_BROWSER_LOG.$n.tmp"
mv "$FAKE_BROWSER_LOG.$n.tmp" "$FAKE_BROWSER_LOG.$n"
