// The failure converter of every Rekey worker, client and workflow bundle:
// the default one, with failure messages and stack traces moved into an
// encoded attribute, so the payload codec encrypts them like any payload
// (out of the box Temporal stores them in clear in history).
// CommonJS on purpose: Temporal loads it by path with `require` (the client,
// the worker) and webpack puts it into the workflow bundle.
'use strict';
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
