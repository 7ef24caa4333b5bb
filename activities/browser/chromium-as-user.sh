#!/bin/sh
# Started by Playwright in place of Chromium when the worker runs as root
# (activities/browser/browser-user.ts). Chromium refuses its sandbox as root,
# so this hands the profile Playwright just made (root's, mode 0700) to an
# unprivileged user and becomes that user, without groups or capabilities,
# before exec'ing Chromium with its sandbox on. The pipes Playwright talks
# over (fds 3 and 4) pass through the exec untouched.
set -eu
uid=$REKEY_BROWSER_UID
gid=$REKEY_BROWSER_GID
chromium=$REKEY_CHROMIUM
unset REKEY_BROWSER_UID REKEY_BROWSER_GID REKEY_CHROMIUM
for arg do
  case $arg in
    --user-data-dir=*)
      profile=${arg#--user-data-dir=}
      chown -R "$uid:$gid" "$profile"
      # Crash reports and caches go to the profile, which Playwright removes afterwards.
      HOME=$profile XDG_CONFIG_HOME=$profile/.config XDG_CACHE_HOME=$profile/.cache
      export HOME XDG_CONFIG_HOME XDG_CACHE_HOME
      ;;
  esac
done
exec setpriv --reuid="$uid" --regid="$gid" --clear-groups --inh-caps=-all --no-new-privs -- "$chromium" "$@"
