"""Statistics for small areas, after the methods of Fingertips / PHEindicatormethods (see STATS notes)."""
