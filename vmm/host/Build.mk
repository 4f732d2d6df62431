# host services: the one implementation of each host_* (both platforms)
host-y += 
