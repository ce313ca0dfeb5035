export const id = 924;
export const ids = [924];
export const modules = {

/***/ 32924:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   exportOptionsFor: () => (/* binding */ exportOptionsFor),
/* harmony export */   writeExportOptions: () => (/* binding */ writeExportOptions)
/* harmony export */ });
/* unused harmony export exportOptionsPlist */
/* harmony import */ var plist__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(94548);
/* harmony import */ var _profile_types_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(27112);
/* harmony import */ var _recorded_files_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(78919);
// ExportOptions.plist for `xcodebuild -exportArchive`: manual signing with our certificate and profiles.



/** `uploadSymbols` and `manageAppVersionAndBuildNumber` are left out on purpose: Xcode's defaults apply. */
function exportOptionsFor(teamId, certificate, profiles) {
    const main = profiles[0];
    if (!main)
        throw new Error("exportOptionsFor: no profile");
    const provisioningProfiles = {};
    for (const profile of profiles)
        provisioningProfiles[profile.bundleId] = profile.uuid;
    return {
        method: (0,_profile_types_js__WEBPACK_IMPORTED_MODULE_1__/* .profileTypeRule */ .O4)(main.profileType).exportMethod,
        teamID: teamId,
        signingStyle: "manual",
        signingCertificate: certificate.sha1,
        provisioningProfiles,
    };
}
function exportOptionsPlist(options) {
    return (0,plist__WEBPACK_IMPORTED_MODULE_0__/* .build */ .jq)({ ...options });
}
function writeExportOptions(path, options, recorder) {
    (0,_recorded_files_js__WEBPACK_IMPORTED_MODULE_2__/* .writeRecordedFile */ .aJ)(path, exportOptionsPlist(options), recorder);
}


/***/ })

};
