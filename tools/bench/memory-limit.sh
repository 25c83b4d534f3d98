#!/bin/sh
# memory-limit.sh LIMIT COMMAND [ARG...]: run COMMAND in a memory cgroup of its own, limited to LIMIT (say 512M), as
# a container's memory limit would. Meant as the bench's server launcher:
#
#   pnpm bench --server-launcher "tools/bench/memory-limit.sh 512M"
#
# The kernel then takes back clean file pages (the server's own binary) before anything else, and kills the process
# if its anonymous memory alone outgrows the limit. Needs write access to the memory cgroup (root, or a delegated
# cgroup); on a systemd machine `systemd-run --user --scope -p MemoryMax=512M` does the same.
set -eu
limit=$1
shift
bytes=$(numfmt --from=iec "$limit")
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  parent=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/self/cgroup)
  limit_file=memory.max
else
  parent=/sys/fs/cgroup/memory$(sed -n 's/^[0-9]*:memory://p' /proc/self/cgroup)
  limit_file=memory.limit_in_bytes
fi
# Cgroups of earlier runs stay behind once empty: remove them.
for old in "$parent"/tickets-bench-*; do [ -d "$old" ] && rmdir "$old" 2>/dev/null || true; done
group=$parent/tickets-bench-$$
mkdir "$group"
echo "$bytes" > "$group/$limit_file"
echo $$ > "$group/cgroup.procs"
exec "$@"
