# Sourced (as program text) by the comparison scripts' summaries:
# add(key, v) records a sample under key; median(key) returns the median of
# its samples (insertion sort: a handful of rounds per key).
function add(key, v) { cnt[key]++; vals[key, cnt[key]] = v }
function median(key,   i, j, n, t, a) {
  n = cnt[key]
  for (i = 1; i <= n; i++) a[i] = vals[key, i]
  for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
