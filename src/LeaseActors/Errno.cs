namespace LeaseActors;

/// <summary>
/// Linux error numbers (x86-64 values) that emulated syscalls return. Errors are values, never exceptions:
/// an exception from the emulator means a bug or bad input.
/// </summary>
public enum Errno
{
    /// <summary>No error.</summary>
    None = 0,
    /// <summary>Operation not permitted.</summary>
    EPERM = 1,
    /// <summary>No such file or directory.</summary>
    ENOENT = 2,
    /// <summary>No such process (also: a syscall sent to a process that has exited).</summary>
    ESRCH = 3,
    /// <summary>No such device or address (opening a socket through <c>/proc/&lt;pid&gt;/fd/&lt;n&gt;</c>).</summary>
    ENXIO = 6,
    /// <summary>Interrupted system call: a signal handler ran and the call was not restarted.</summary>
    EINTR = 4,
    /// <summary>Bad file descriptor.</summary>
    EBADF = 9,
    /// <summary>Try again; the same number as <c>EWOULDBLOCK</c>.</summary>
    EAGAIN = 11,
    /// <summary>Broken pipe: the peer of a socket is gone.</summary>
    EPIPE = 32,
    /// <summary>Permission denied.</summary>
    EACCES = 13,
    /// <summary>Bad address.</summary>
    EFAULT = 14,
    /// <summary>Device or resource busy.</summary>
    EBUSY = 16,
    /// <summary>File exists.</summary>
    EEXIST = 17,
    /// <summary>No such device: <c>fallocate</c> on something that is not a regular file.</summary>
    ENODEV = 19,
    /// <summary>Not a directory.</summary>
    ENOTDIR = 20,
    /// <summary>Is a directory.</summary>
    EISDIR = 21,
    /// <summary>Invalid argument.</summary>
    EINVAL = 22,
    /// <summary>Text file busy: used by the layout-lease proposals for a layout change over pinned or exclusively leased blocks.</summary>
    ETXTBSY = 26,
    /// <summary>Resource deadlock would occur; the same number as <c>EDEADLOCK</c> on x86.</summary>
    EDEADLK = 35,
    /// <summary>Function not implemented.</summary>
    ENOSYS = 38,
    /// <summary>Socket operation on non-socket.</summary>
    ENOTSOCK = 88,
    /// <summary>Operation not supported (mainline's answer to a long-term pin of FS-DAX memory).</summary>
    EOPNOTSUPP = 95,
}

/// <summary>Aliases the kernel defines with the same numbers.</summary>
public static class ErrnoAliases
{
    /// <summary><c>EWOULDBLOCK</c> is <see cref="Errno.EAGAIN"/>.</summary>
    public const Errno EWOULDBLOCK = Errno.EAGAIN;

    /// <summary><c>EDEADLOCK</c> is <see cref="Errno.EDEADLK"/> on x86.</summary>
    public const Errno EDEADLOCK = Errno.EDEADLK;
}
