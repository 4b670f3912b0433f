# Appended to the VM's setup by native-tests/vm/run-script.sh: rxe0 is up and nspawn-native installed.
python3 /mnt/host/bench.py
