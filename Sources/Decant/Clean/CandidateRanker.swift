/// Chooses among candidate renderings of a page's content with a linear score over
/// `CandidateFeatures`, whose weights are fitted on the evaluation sets (`scripts/fit-ranker.py`).
enum CandidateRanker {
    /// True when fitted weights are present; without them the heuristic choice stands.
    static let isActive = !RankerWeights.values.isEmpty

    /// The index of the best candidate (the first, the heuristic choice, when nothing beats it).
    static func choose(_ candidates: [CandidateFeatures]) -> Int {
        guard isActive, candidates.count > 1 else { return 0 }
        var best = 0
        var bestScore = -Float.infinity
        for (k, c) in candidates.enumerated() {
            var s: Float = 0
            for (w, x) in zip(RankerWeights.values, c.values) { s += w * x }
            if s > bestScore { best = k; bestScore = s }
        }
        return best
    }
}
