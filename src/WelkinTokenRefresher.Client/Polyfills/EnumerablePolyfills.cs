#if NETSTANDARD2_0
namespace WelkinTokenRefresher.Client.Polyfills;

/// <summary><c>Enumerable.MaxBy</c> (.NET 6), for the shared sources.</summary>
internal static class EnumerablePolyfills
{
    /// <summary>The first element with the largest key, or the default for an empty sequence.</summary>
    public static TSource? MaxBy<TSource, TKey>(this IEnumerable<TSource> source, Func<TSource, TKey> keySelector)
    {
        Comparer<TKey> comparer = Comparer<TKey>.Default;
        bool any = false;
        TSource? best = default;
        TKey? bestKey = default;
        foreach (TSource item in source)
        {
            TKey key = keySelector(item);
            if (!any || comparer.Compare(key, bestKey!) > 0)
            {
                (any, best, bestKey) = (true, item, key);
            }
        }

        return best;
    }
}
#endif
