// Package deploy holds what installs the gateway as a system service on
// Linux, for the city's IT department, and the tests that check it:
//
//   - balie-gateway.service: a systemd system unit that runs
//     /usr/bin/balie-gateway -config /etc/balie/gateway.toml as the user
//     balie-gateway, with its data in /var/lib/balie-gateway, in a
//     hardened sandbox (a read-only system and /etc/balie, no home, no
//     devices, no capabilities, only IP and local sockets, the system
//     calls of a network service);
//   - balie-gateway.sysusers: that user, for systemd-sysusers.
//
// The gateway is restarted after a failure, and stays down after 5
// failed starts within 10 minutes (a bad configuration).
//
// The files are not Go; this package holds no code, only the tests. See
// "Packages" in the README; .ci/package builds the binaries.
package deploy
