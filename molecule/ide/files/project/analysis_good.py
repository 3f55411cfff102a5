from helper import scaled_total

result: float = scaled_total(6, 7.0)
print(result)
