"""A training script that calls into helper.py."""

from helper import scaled_total

if __name__ == "__main__":
    print(scaled_total(6, 7.0))
