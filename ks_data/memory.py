"""How the process hands memory back to the operating system (glibc only; elsewhere nothing changes).

A national load churns through a few hundred megabytes of short-lived arrays. By default glibc
returns large freed blocks to the kernel at once and asks for fresh ones on the next allocation;
each fresh page is then zeroed by the kernel (and, in a virtual machine, often first backed by the
host): on the 2-core VM that varied a load from 0.95 s to 1.6 s. Keeping freed memory for reuse
makes the cost steady; the peak is unchanged, only memory freed after a peak stays with the process.
"""

from __future__ import annotations

import ctypes
import ctypes.util

M_TRIM_THRESHOLD = -1  # from glibc's malloc.h
M_MMAP_THRESHOLD = -3
KEEP_BELOW = 256 << 20  # blocks up to this size come from the reused heap, not from fresh mappings
TRIM_ABOVE = 512 << 20  # free memory at the top of the heap is handed back only beyond this


def keep_freed_memory() -> bool:
    """Ask glibc to reuse freed memory instead of returning it at once; False where that is not glibc."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        mallopt = libc.mallopt if libc else None
    except (OSError, AttributeError):
        return False
    if mallopt is None:
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, KEEP_BELOW)) and bool(mallopt(M_TRIM_THRESHOLD, TRIM_ABOVE))
