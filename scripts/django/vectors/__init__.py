"""Golden-vector generator, one module per topic; scripts/django/make_vectors.py writes them all."""
