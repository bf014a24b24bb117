.PHONY: samples

# Regenerate samples/*/ from a real Debian stack on loopback (root; see samples/capture/README.md)
samples:
	bash samples/capture/run-all.sh
