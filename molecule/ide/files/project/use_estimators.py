import estimators

job = estimators.Estimator("image", 2)
job.fit("s3://bucket/train")
