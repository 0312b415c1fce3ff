namespace LeaseActors.Leases;

/// <summary>Lease types as <c>F_SETLEASE</c>/<c>F_GETLEASE</c> spell them (Linux values).</summary>
public enum LeaseType
{
    /// <summary>A read lease (<c>F_RDLCK</c> = 0).</summary>
    F_RDLCK = 0,
    /// <summary>A write lease (<c>F_WRLCK</c> = 1).</summary>
    F_WRLCK = 1,
    /// <summary>No lease / release (<c>F_UNLCK</c> = 2).</summary>
    F_UNLCK = 2,
}

/// <summary>What the lease-list rules care about in a lease's class (<c>fl_flags</c> bits).</summary>
[Flags]
public enum LeaseClass
{
    /// <summary>No class bits.</summary>
    None = 0,
    /// <summary><c>FL_LEASE</c>: an fcntl lease.</summary>
    Lease = 32,
    /// <summary><c>FL_DELEG</c>: a delegation (nfsd, or a breaker from unlink/rename/setattr).</summary>
    Deleg = 64,
    /// <summary><c>FL_LAYOUT</c>: a layout lease (pNFS, or the 2019 proposals).</summary>
    Layout = 2048,
    /// <summary><c>FL_EXCLUSIVE</c> (RFC v2 only): an exclusive layout lease, never broken.</summary>
    Exclusive = 4096,
}
