"""The test harness behind `make test`: engine, images, mirror, runner."""
