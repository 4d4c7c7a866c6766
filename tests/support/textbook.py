"""Textbook data sets whose statistics are published, for the statistics room's tests."""

from __future__ import annotations

import numpy as np

# Student's sleep data (Cushny & Peebles 1905): extra hours of sleep of 10 patients under
# two drugs. The paired t-test's 95% interval of the mean difference (drug two minus drug
# one, 1.58 hours) is 0.7001142 to 2.4598858 hours (e.g. R's
# ``t.test(extra ~ group, sleep, paired = TRUE)``).
DRUG_ONE = np.array([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0])
DRUG_TWO = np.array([1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])
SLEEP_CI95 = (0.7001142, 2.4598858)
