# host, ptrace platform
hostcore-y +=
