using Akka.Dispatch;

namespace LeaseActors.Simulation.Dispatch;

/// <summary>
/// The runnables (mailboxes with work, or plain tasks) that are ready on one driver, ordered by a key fixed
/// when their actor was created in the run, so that "the i-th ready mailbox" means the same actor on every
/// machine and process, whatever order Akka handed them over in (a parent stopping its children enqueues
/// their Terminate messages in string-hash order, which .NET randomizes per process).
/// </summary>
/// <remarks>
/// A Fenwick tree over the keys gives O(log n) insert and O(log n) "take the i-th", so a run with 10^5 ready
/// actors costs no more per step than one with five.
/// </remarks>
internal sealed class ReadySet
{
    private IRunnable?[] _items = new IRunnable?[64];
    private int[] _tree = new int[65];

    public int Count { get; private set; }

    public void Add(int key, IRunnable runnable)
    {
        if (key >= _items.Length) Grow(key);
        if (_items[key] is not null)
            throw new InvalidOperationException($"Simulation engine bug: key {key} is already ready.");
        _items[key] = runnable;
        Count++;
        for (var i = key + 1; i < _tree.Length; i += i & -i) _tree[i]++;
    }

    /// <summary>The key of the <paramref name="index"/>-th ready runnable in key order (0-based).</summary>
    public int KeyAt(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
        var pos = 0;
        var remaining = index + 1;
        for (var step = HighestPowerOfTwo(_tree.Length - 1); step > 0; step >>= 1)
        {
            var next = pos + step;
            if (next < _tree.Length && _tree[next] < remaining)
            {
                pos = next;
                remaining -= _tree[next];
            }
        }
        return pos; // tree index pos+1 holds the item; its key is pos
    }

    public IRunnable Take(int key)
    {
        var item = _items[key] ?? throw new InvalidOperationException($"Simulation engine bug: key {key} is not ready.");
        _items[key] = null;
        Count--;
        for (var i = key + 1; i < _tree.Length; i += i & -i) _tree[i]--;
        return item;
    }

    /// <summary>Empties the set. Free when it is already empty (every add was taken), which is the usual case between runs.</summary>
    public void Clear()
    {
        if (Count > 0)
        {
            Array.Clear(_items);
            Array.Clear(_tree);
        }
        Count = 0;
    }

    private void Grow(int key)
    {
        var size = _items.Length;
        while (size <= key) size *= 2;
        var items = new IRunnable?[size];
        Array.Copy(_items, items, _items.Length);
        _items = items;
        _tree = new int[size + 1];
        for (var k = 0; k < _items.Length; k++)
        {
            if (_items[k] is null) continue;
            for (var i = k + 1; i < _tree.Length; i += i & -i) _tree[i]++;
        }
    }

    private static int HighestPowerOfTwo(int n)
    {
        var p = 1;
        while (p * 2 <= n) p *= 2;
        return p;
    }
}
