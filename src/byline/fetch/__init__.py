"""Getting bytes from the world: HTTP and feed parsing. Only `http` touches the network."""
