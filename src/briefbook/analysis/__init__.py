"""What an article says and how sure it is: quotations, claims, estimative language.

* :mod:`.quotes`: ``{quote}`` and pull quotes: who said it, where, when;
* :mod:`.claims`: ``{claim}`` and key judgements: likelihood, confidence, sources;
* :mod:`.estimative`: ICD 203's likelihood terms and confidence levels.
"""
