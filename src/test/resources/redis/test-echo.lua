-- Test only: returns its first key and first argument, to prove a script ran with what it was given.
return {KEYS[1], ARGV[1]}
