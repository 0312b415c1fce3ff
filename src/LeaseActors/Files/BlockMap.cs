namespace LeaseActors.Files;

/// <summary>
/// An FS-DAX file's page → block map, kept as extents (a run of pages on consecutive blocks, or a hole) instead of one
/// entry per page: a 1 MiB file is one extent, not 256 entries, and campaigns build one per run.
/// </summary>
internal sealed class BlockMap
{
    /// <summary>A block number that marks a page without a block (a hole).</summary>
    private const long Hole = -1;

    private readonly List<(long Pages, long First)> _extents = [];

    /// <summary>Pages mapped so far (holes included).</summary>
    public long Pages { get; private set; }

    /// <summary>Maps the next pages to <paramref name="blocks"/>, in their order.</summary>
    public void Append(BlockSet blocks)
    {
        foreach (var (first, count) in blocks.Runs) Add(count, first);
    }

    /// <summary>Extends the map with <paramref name="pages"/> holes.</summary>
    public void AppendHoles(long pages) => Add(pages, Hole);

    /// <summary>Pages [<paramref name="firstPage"/>, <paramref name="endPage"/>) lose their blocks (fallocate PUNCH_HOLE).</summary>
    public void Punch(long firstPage, long endPage)
    {
        firstPage = Math.Max(0, firstPage);
        endPage = Math.Min(endPage, Pages);
        if (endPage <= firstPage) return;
        var middle = Split(firstPage);
        var tail = Split(endPage);
        _extents.RemoveRange(middle, tail - middle);
        _extents.Insert(middle, (endPage - firstPage, Hole));
        Pages = _extents.Sum(e => e.Pages);
    }

    /// <summary>Keeps only the first <paramref name="pages"/> pages (truncate).</summary>
    public void TruncateTo(long pages)
    {
        if (pages >= Pages) return;
        var cut = Split(Math.Max(0, pages));
        _extents.RemoveRange(cut, _extents.Count - cut);
        Pages = Math.Max(0, pages);
    }

    /// <summary>The blocks of pages [<paramref name="firstPage"/>, <paramref name="endPage"/>), in page order, holes skipped.</summary>
    public BlockSet Range(long firstPage, long endPage)
    {
        firstPage = Math.Max(0, firstPage);
        endPage = Math.Min(endPage, Pages);
        if (endPage <= firstPage) return BlockSet.Empty;
        var runs = new List<(long, long)>();
        var start = 0L;
        foreach (var (pages, first) in _extents)
        {
            var end = start + pages;
            var from = Math.Max(start, firstPage);
            var to = Math.Min(end, endPage);
            if (to > from && first != Hole) runs.Add((first + (from - start), to - from));
            if (end >= endPage) break;
            start = end;
        }
        return BlockSet.OfRuns(runs);
    }

    private void Add(long pages, long first)
    {
        if (pages <= 0) return;
        if (_extents.Count > 0)
        {
            var (lastPages, lastFirst) = _extents[^1];
            if ((first == Hole && lastFirst == Hole) || (first != Hole && lastFirst != Hole && first == lastFirst + lastPages))
            {
                _extents[^1] = (lastPages + pages, lastFirst);
                Pages += pages;
                return;
            }
        }
        _extents.Add((pages, first));
        Pages += pages;
    }

    /// <summary>Splits the extent containing <paramref name="page"/> so one starts there; returns that extent's index.</summary>
    private int Split(long page)
    {
        var start = 0L;
        for (var i = 0; i < _extents.Count; i++)
        {
            if (start == page) return i;
            var (pages, first) = _extents[i];
            if (page < start + pages)
            {
                var head = page - start;
                _extents[i] = (head, first);
                _extents.Insert(i + 1, (pages - head, first == Hole ? Hole : first + head));
                return i + 1;
            }
            start += pages;
        }
        return _extents.Count;
    }
}
