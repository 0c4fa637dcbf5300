#!/bin/sh
# install-kiosk-session.sh: makes a Debian 12 PC a kiosk whose screen shows
# nothing but the Digitale Balie, and brings balie back when it crashes.
# Run it as root from this folder, after installing balie itself
# (/usr/local/bin/balie from the tar.xz, or /usr/bin/balie):
#
#     sh install-kiosk-session.sh          # the X11 session (the default)
#     sh install-kiosk-session.sh --cage   # or cage, a Wayland kiosk compositor
#
# then restart the PC. Running it again changes nothing, and switching
# between --x11 and --cage removes the other one's files.
#
# It creates the user "balie" (no password, so nobody can log in as it; the
# PC logs it in), /etc/balie/kiosk.toml (mode 0600, owned by balie, as
# staff mode saves its settings there; an existing one is kept), and:
#   X11:  /usr/local/lib/balie-kiosk/{balie-run,balie-session,balie-getty,
#         matchbox-kbdconfig}, ~balie/.profile, the getty@tty1 drop-in
#         that logs balie in, /etc/tmpfiles.d/balie-kiosk.conf and
#         /etc/X11/xorg.conf.d/50-balie-kiosk.conf;
#   cage: /usr/local/lib/balie-kiosk/balie-run,
#         /etc/systemd/system/balie-cage.service (enabled) and
#         /etc/pam.d/balie-cage.
# It installs no Debian packages; it says which are missing.
#
# DESTDIR=/some/folder installs the files under that folder instead and
# touches nothing else: no user, no owner, no systemctl. The tests use it.
set -eu
# useradd and friends are in /usr/sbin, which "su" without "-" leaves out.
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH

usage() {
	echo "usage: $0 [--x11 | --cage]" >&2
	exit 2
}
variant=x11
for arg in "$@"; do
	case $arg in
	--x11) variant=x11 ;;
	--cage) variant=cage ;;
	*) usage ;;
	esac
done

src=$(dirname "$(readlink -f "$0")")
DESTDIR=${DESTDIR:-}
case $DESTDIR in
"") real=yes ;;
/) echo "$0: DESTDIR=/ : leave DESTDIR empty to install on this PC" >&2; exit 2 ;;
/*) real=no ;;
*) echo "$0: DESTDIR must be an absolute path" >&2; exit 2 ;;
esac
if [ "$real" = yes ] && [ "$(id -u)" -ne 0 ]; then
	echo "$0: run as root (or set DESTDIR to install into a folder)" >&2
	exit 1
fi

KIOSK_USER=balie
LIB=/usr/local/lib/balie-kiosk

# put FILE MODE TARGET: installs FILE from this folder as DESTDIR/TARGET,
# and says so only when that changed something.
put() {
	dst=$DESTDIR$3
	if [ -f "$dst" ] && cmp -s "$src/$1" "$dst" && [ "$(stat -c %a "$dst")" = "${2#0}" ]; then
		return
	fi
	mkdir -p "$(dirname "$dst")"
	install -m "$2" "$src/$1" "$dst"
	echo "installed $3"
}

# drop TARGET: removes DESTDIR/TARGET, the other variant's file.
drop() {
	if [ -e "$DESTDIR$1" ]; then
		rm -f "$DESTDIR$1"
		echo "removed $1"
	fi
}

# 1. The kiosk user.
home=/home/$KIOSK_USER
if [ "$real" = yes ]; then
	if ! getent passwd "$KIOSK_USER" >/dev/null; then
		useradd --create-home --shell /bin/sh --comment "Digitale Balie kiosk" "$KIOSK_USER"
		echo "created user $KIOSK_USER"
	fi
	# No password: nobody logs in as the kiosk user; the PC does.
	passwd --lock "$KIOSK_USER" >/dev/null
	# sh reads ~/.profile (bash would read a ~/.bash_profile instead).
	if [ "$(getent passwd "$KIOSK_USER" | cut -d: -f7)" != /bin/sh ]; then
		usermod --shell /bin/sh "$KIOSK_USER"
	fi
	home=$(getent passwd "$KIOSK_USER" | cut -d: -f6)
fi

# 2. The kiosk's configuration: kept when it is there. Empty, the kiosk runs
# in practice mode; staff set the gateway and token on the Instellingen page.
if [ ! -e "$DESTDIR/etc/balie/kiosk.toml" ]; then
	mkdir -p "$DESTDIR/etc/balie"
	chmod 0755 "$DESTDIR/etc/balie"
	(
		umask 077
		printf '%s\n' "# Digitale Balie kiosk. Staff mode writes this file; see cmd/DEPLOYMENT.md." \
			"# Empty: practice mode. For the city's gateway:" \
			'# gateway      = "https://balie-gateway.example.be"' \
			'# device_token = "…"' >"$DESTDIR/etc/balie/kiosk.toml"
	)
	echo "created /etc/balie/kiosk.toml"
fi
if [ "$real" = yes ]; then
	chown "$KIOSK_USER:" /etc/balie/kiosk.toml
	chmod 0600 /etc/balie/kiosk.toml
fi

# 3. The session.
put balie-run 0755 "$LIB/balie-run"
if [ "$variant" = x11 ]; then
	put balie-session 0755 "$LIB/balie-session"
	put balie-getty 0755 "$LIB/balie-getty"
	put matchbox-kbdconfig 0644 "$LIB/matchbox-kbdconfig"
	put kiosk-profile 0644 "$home/.profile"
	put getty-autologin.conf 0644 /etc/systemd/system/getty@tty1.service.d/balie-kiosk.conf
	put balie-kiosk-tmpfiles.conf 0644 /etc/tmpfiles.d/balie-kiosk.conf
	put 50-balie-kiosk.conf 0644 /etc/X11/xorg.conf.d/50-balie-kiosk.conf
	if [ "$real" = yes ] && [ -e /etc/systemd/system/balie-cage.service ]; then
		systemctl disable balie-cage.service >/dev/null 2>&1 || true
	fi
	drop /etc/systemd/system/balie-cage.service
	drop /etc/pam.d/balie-cage
else
	put balie-cage.service 0644 /etc/systemd/system/balie-cage.service
	put balie-cage.pam 0644 /etc/pam.d/balie-cage
	drop "$LIB/balie-session"
	drop "$LIB/balie-getty"
	drop "$LIB/matchbox-kbdconfig"
	drop /etc/systemd/system/getty@tty1.service.d/balie-kiosk.conf
	drop /etc/tmpfiles.d/balie-kiosk.conf
	drop /etc/X11/xorg.conf.d/50-balie-kiosk.conf
	# The .profile that starts X on tty1 goes too, if it is ours.
	if [ -f "$DESTDIR$home/.profile" ] && cmp -s "$src/kiosk-profile" "$DESTDIR$home/.profile"; then
		drop "$home/.profile"
	fi
fi

if [ "$real" = no ]; then
	echo "installed the $variant session under $DESTDIR"
	exit 0
fi

# 4. Owners and systemd.
chown root:root "$home/.profile" 2>/dev/null || true
if [ "$variant" = x11 ]; then
	systemd-tmpfiles --create /etc/tmpfiles.d/balie-kiosk.conf
	systemctl daemon-reload
else
	systemctl daemon-reload
	systemctl enable balie-cage.service
fi

# 5. What is missing.
[ -x /usr/local/bin/balie ] || [ -x /usr/bin/balie ] ||
	echo "warning: balie is not installed in /usr/local/bin or /usr/bin" >&2
need="espeak-ng chromium dbus-user-session pipewire-audio"
if [ "$variant" = x11 ]; then
	need="$need xserver-xorg xinit x11-xserver-utils x11-utils matchbox-window-manager"
else
	need="$need cage xwayland"
fi
missing=
for p in $need; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "install what is missing:  apt-get install --no-install-recommends$missing"
fi
if systemctl is-enabled display-manager.service >/dev/null 2>&1; then
	echo "warning: a display manager is enabled; turn it off, or it takes the screen from the kiosk:" >&2
	echo "    systemctl disable display-manager.service" >&2
fi
echo "done: restart the PC to start the kiosk ($variant session)"
