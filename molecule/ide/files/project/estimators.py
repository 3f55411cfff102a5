"""A small stand-in for an SDK module: classes with documentation and members."""


class Estimator:
    """Runs a training job on managed instances and keeps its model artifacts."""

    def __init__(self, image_uri: str, instance_count: int = 1) -> None:
        self.image_uri = image_uri
        self.instance_count = instance_count

    def fit(self, inputs: str) -> None:
        """Start the training job on the given S3 inputs."""

    def deploy(self, instance_type: str) -> str:
        """Deploy the trained model to an endpoint and return its name."""
        return instance_type
