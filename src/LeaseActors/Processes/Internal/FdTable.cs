using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace LeaseActors.Processes.Internal;

/// <summary>
/// A process's fd table as Linux keeps one (<c>struct fdtable</c>): entries in an array indexed by fd number, walked in
/// fd order. New fds take the lowest free number, so the array stays as long as the highest fd in use; a process with
/// stdin, stdout and stderr holds one array of four slots (a sorted tree held three nodes and their entries).
/// </summary>
internal sealed class FdTable<T> : IEnumerable<KeyValuePair<int, T>> where T : class
{
    private T?[] _slots = new T?[4];

    /// <summary>The entry at <paramref name="fd"/>; setting one at a number past the end grows the table.</summary>
    /// <exception cref="KeyNotFoundException">No entry at <paramref name="fd"/> (on get).</exception>
    public T this[int fd]
    {
        get => TryGetValue(fd, out var entry) ? entry : throw new KeyNotFoundException($"fd {fd} is not open.");
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(fd);
            ArgumentNullException.ThrowIfNull(value);
            if (fd >= _slots.Length) Array.Resize(ref _slots, Math.Max(fd + 1, _slots.Length * 2));
            _slots[fd] = value;
        }
    }

    /// <summary>The entries in fd order.</summary>
    public IEnumerable<T> Values => this.Select(kv => kv.Value);

    public bool TryGetValue(int fd, [MaybeNullWhen(false)] out T entry)
    {
        entry = (uint)fd < (uint)_slots.Length ? _slots[fd] : null;
        return entry is not null;
    }

    public bool ContainsKey(int fd) => TryGetValue(fd, out _);

    /// <summary>Frees <paramref name="fd"/>; false if it was not in use.</summary>
    public bool Remove(int fd)
    {
        if (!ContainsKey(fd)) return false;
        _slots[fd] = null;
        return true;
    }

    public void Clear() => Array.Clear(_slots);

    /// <summary>The entries in fd order, each with its fd.</summary>
    public IEnumerator<KeyValuePair<int, T>> GetEnumerator()
    {
        var slots = _slots;
        for (var fd = 0; fd < slots.Length; fd++)
            if (slots[fd] is { } entry) yield return new(fd, entry);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
