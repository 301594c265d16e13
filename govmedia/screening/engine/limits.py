"""Bounds that keep adversarial input cheap."""

# A rule (a lexicon term or a detector) is looked at for its first occurrences only. A real
# article has a handful; 5 MB of "机密★" repeated would otherwise make 1.6 million findings.
MAX_HITS_PER_RULE = 1000

# Noise characters tolerated between two characters of one term (台     湾 is still 台湾).
MAX_GAP = 8
