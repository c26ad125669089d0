"""Search engines behind one interface: each sub-package writes and reads its own index."""
