/** Medical volume files (NIfTI-1/2, MetaImage) with spacing, origin and orientation, and dataset folders. */
package org.lesionweighting.io;
